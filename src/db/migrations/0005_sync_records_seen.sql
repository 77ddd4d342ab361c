CREATE TABLE `sync_records_seen` (
	`integrated_account_id` text NOT NULL,
	`resource` text NOT NULL,
	`record_id` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`last_seen_run_id` text NOT NULL,
	`sync_job_id` text NOT NULL,
	PRIMARY KEY(`integrated_account_id`, `resource`, `record_id`),
	FOREIGN KEY (`integrated_account_id`) REFERENCES `integrated_accounts`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;

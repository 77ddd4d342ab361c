CREATE TABLE `sync_run_seen` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`resource` text NOT NULL,
	`record_ids` text NOT NULL,
	`record_count` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `sync_job_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_run_seen_run_idx` ON `sync_run_seen` (`run_id`,`resource`);
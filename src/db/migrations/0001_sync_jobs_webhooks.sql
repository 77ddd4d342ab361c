CREATE TABLE `sync_event_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`event` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_job_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`sync_job_id` text NOT NULL,
	`integrated_account_id` text NOT NULL,
	`status` text NOT NULL,
	`trigger` text NOT NULL,
	`started_at` text,
	`finished_at` text,
	`pages_fetched` integer DEFAULT 0 NOT NULL,
	`added` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`is_partial` integer DEFAULT false NOT NULL,
	`deletions_held` integer DEFAULT false NOT NULL,
	`error` text,
	`checkpoint` text,
	`lease_owner` text,
	`lease_expires_at` integer,
	`cancel_requested` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`sync_job_id`) REFERENCES `sync_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_job_runs_job_idx` ON `sync_job_runs` (`sync_job_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `sync_job_runs_status_idx` ON `sync_job_runs` (`status`,`lease_expires_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `sync_job_runs_one_active_idx` ON `sync_job_runs` (`sync_job_id`) WHERE status in ('created', 'running');--> statement-breakpoint
CREATE TABLE `sync_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`integrated_account_id` text NOT NULL,
	`resources` text NOT NULL,
	`schedule` text,
	`is_active` integer DEFAULT true NOT NULL,
	`next_run_at` integer,
	`state` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`integrated_account_id`) REFERENCES `integrated_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_jobs_account_idx` ON `sync_jobs` (`integrated_account_id`);--> statement-breakpoint
CREATE INDEX `sync_jobs_next_run_idx` ON `sync_jobs` (`next_run_at`);--> statement-breakpoint
CREATE TABLE `sync_lease_fence` (
	`lost` integer NOT NULL,
	CONSTRAINT "sync_lease_fence_never" CHECK("sync_lease_fence"."lost" = 0)
);
--> statement-breakpoint
CREATE TABLE `sync_records` (
	`integrated_account_id` text NOT NULL,
	`resource` text NOT NULL,
	`record_id` text NOT NULL,
	`unified` text NOT NULL,
	`remote_data` text,
	`content_hash` text NOT NULL,
	`facets` text NOT NULL,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`changed_at` text NOT NULL,
	`deleted_at` text,
	`last_seen_run_id` text NOT NULL,
	`sync_job_id` text NOT NULL,
	PRIMARY KEY(`integrated_account_id`, `resource`, `record_id`),
	FOREIGN KEY (`integrated_account_id`) REFERENCES `integrated_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_records_live_idx` ON `sync_records` (`integrated_account_id`,`resource`,`deleted_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`webhook_id` text NOT NULL,
	`event_id` text NOT NULL,
	`event` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_until` integer,
	`last_status_code` integer,
	`last_error` text,
	`created_at` text NOT NULL,
	`delivered_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event_idx` ON `webhook_deliveries` (`webhook_id`,`event_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_webhook_idx` ON `webhook_deliveries` (`webhook_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`target_url` text NOT NULL,
	`event_types` text NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`secret_ciphertext` text NOT NULL,
	`secret_iv` text NOT NULL,
	`secret_tag` text NOT NULL,
	`key_version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);

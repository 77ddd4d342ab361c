CREATE TABLE `sync_job_definitions` (
	`id` text PRIMARY KEY NOT NULL,
	`integration_name` text NOT NULL,
	`label` text,
	`resources` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `sync_jobs` ADD `definition_id` text;
CREATE TABLE `link_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`tenant_id` text NOT NULL,
	`integrations` text,
	`redirect_uri` text,
	`integrated_account_id` text,
	`created_by` text NOT NULL,
	`expires_at` integer NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`claimed_at` integer,
	`used_at` text,
	`result_account_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `link_tokens_hash_idx` ON `link_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `link_tokens_expires_idx` ON `link_tokens` (`expires_at`);
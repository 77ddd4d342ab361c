CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_idx` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `integrated_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`integration` text NOT NULL,
	`tenant_id` text,
	`environment` text DEFAULT 'production' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`context` text DEFAULT '{}' NOT NULL,
	`secret_ciphertext` text NOT NULL,
	`secret_iv` text NOT NULL,
	`secret_tag` text NOT NULL,
	`key_version` integer NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `integrated_accounts_integration_idx` ON `integrated_accounts` (`integration`);--> statement-breakpoint
CREATE INDEX `integrated_accounts_tenant_idx` ON `integrated_accounts` (`tenant_id`);
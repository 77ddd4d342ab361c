/**
 * The database schema, shared by SQLite on Node and D1 on Workers. Migrations in
 * src/db/migrations are generated from this file with `npm run db:generate`.
 */
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'

export const integratedAccounts = sqliteTable(
  'integrated_accounts',
  {
    id: text('id').primaryKey(),
    integration: text('integration').notNull(),
    tenantId: text('tenant_id'),
    /** `production` for accounts created through the API, `sandbox` for the built-in ones. */
    environment: text('environment').notNull().default('production'),
    /** active | needs_reauth */
    status: text('status').notNull().default('active'),
    /** Non-secret context (instance settings such as Neon's org_id), JSON. */
    context: text('context').notNull().default('{}'),
    /** The secret credential fields of the context, AES-256-GCM sealed (see src/crypto). */
    secretCiphertext: text('secret_ciphertext').notNull(),
    secretIv: text('secret_iv').notNull(),
    secretTag: text('secret_tag').notNull(),
    keyVersion: integer('key_version').notNull(),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('integrated_accounts_integration_idx').on(t.integration), index('integrated_accounts_tenant_idx').on(t.tenantId)],
)

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    /** First characters of the token, to tell tokens apart in listings. */
    prefix: text('prefix').notNull(),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_idx').on(t.tokenHash)],
)

export type IntegratedAccountRow = typeof integratedAccounts.$inferSelect
export type ApiTokenRow = typeof apiTokens.$inferSelect

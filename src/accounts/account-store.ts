/**
 * Integrated accounts in the database: secrets sealed with AES-256-GCM on the way in, opened
 * only when a vendor call needs them, and never part of what the API returns.
 */
import { and, asc, eq, gt, type SQL } from 'drizzle-orm'
import { openJson, sealJson } from '../crypto/aes-gcm'
import type { Keyring } from '../crypto/keyring'
import type { AppDatabase } from '../db/database'
import { RowCache } from '../db/row-cache'
import { integratedAccounts, type IntegratedAccountRow } from '../db/schema'
import type { ConnectorDefinition } from '../engine/connector-types'
import type { Redactor } from '../lib/redactor'
import { splitContext } from './credential-split'
import { OpenedSecretCache } from './opened-secrets'

export interface AccountView {
  id: string
  /** Truto's shape (an object); integration_name is the plain connector id. */
  integration: { id: string; name: string; label: string }
  integration_name: string
  environment_integration_id: string
  environment_id: string
  is_sandbox: boolean
  tenant_id: string | null
  environment: string
  status: string
  /** Non-secret context only. */
  context: Record<string, unknown>
  /** Names of the integration's secret fields, optional ones included (never their values). */
  credential_fields: string[]
  last_error: string | null
  created_at: string
  updated_at: string
}

export interface ResolvedAccount {
  row: IntegratedAccountRow
  /** The whole context, secrets included: for templates and mappings' `context` minus secrets. */
  credentials: Record<string, string>
  context: Record<string, unknown>
  secrets: string[]
}

export class AccountStore {
  /** Spares a request the AES-GCM open of an account opened moments ago (see opened-secrets.ts). */
  private readonly opened = new OpenedSecretCache()
  /** Rows by id, so a request does not read its account again (see row-cache.ts). */
  private readonly rows: RowCache<IntegratedAccountRow>

  constructor(
    private readonly db: AppDatabase,
    private readonly keyring: Keyring,
    /** Learns every secret this store opens, so the gateway's logs and errors never show it. */
    private readonly redactor: Redactor,
    /** The database's change counter (see RowCache); without it rows are read every time. */
    dataVersion?: () => number,
  ) {
    this.rows = new RowCache(dataVersion)
  }

  async create(input: {
    id?: string
    connector: ConnectorDefinition
    tenantId?: string | null
    environment?: string
    context: Record<string, unknown>
  }): Promise<IntegratedAccountRow> {
    const { secret, open } = splitContext(input.connector, input.context)
    const sealed = await sealJson(this.keyring, secret)
    const now = new Date().toISOString()
    const row: IntegratedAccountRow = {
      id: input.id ?? crypto.randomUUID(),
      integration: input.connector.id,
      tenantId: input.tenantId ?? null,
      environment: input.environment ?? 'production',
      status: 'active',
      context: JSON.stringify(open),
      secretCiphertext: sealed.ciphertext,
      secretIv: sealed.iv,
      secretTag: sealed.tag,
      keyVersion: sealed.keyVersion,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    }
    await this.db.insert(integratedAccounts).values(row)
    return row
  }

  async get(id: string): Promise<IntegratedAccountRow | undefined> {
    const row = await this.rows.load(id, async () => {
      const rows = await this.db.select().from(integratedAccounts).where(eq(integratedAccounts.id, id)).limit(1)
      return rows[0]
    })
    // A copy: what a caller does with its row never reaches the cache.
    return row && { ...row }
  }

  async list(filter: {
    integration?: string
    tenantId?: string
    environment?: string
    afterId?: string
    limit: number
  }): Promise<IntegratedAccountRow[]> {
    const where: SQL[] = []
    if (filter.integration) where.push(eq(integratedAccounts.integration, filter.integration))
    if (filter.tenantId) where.push(eq(integratedAccounts.tenantId, filter.tenantId))
    if (filter.environment) where.push(eq(integratedAccounts.environment, filter.environment))
    if (filter.afterId) where.push(gt(integratedAccounts.id, filter.afterId))
    return this.db
      .select()
      .from(integratedAccounts)
      .where(where.length ? and(...where) : undefined)
      .orderBy(asc(integratedAccounts.id))
      .limit(filter.limit)
  }

  async update(
    row: IntegratedAccountRow,
    connector: ConnectorDefinition,
    patch: { tenantId?: string | null; context?: Record<string, unknown>; status?: string; lastError?: string | null },
  ): Promise<IntegratedAccountRow> {
    const next: IntegratedAccountRow = { ...row, updatedAt: new Date().toISOString() }
    if (patch.tenantId !== undefined) next.tenantId = patch.tenantId
    if (patch.status !== undefined) next.status = patch.status
    if (patch.lastError !== undefined) next.lastError = patch.lastError
    if (patch.context) {
      // Shallow merge, as the contract says: nested objects are replaced whole.
      const current = await this.open(row)
      const merged = { ...current.context, ...current.credentials, ...patch.context }
      for (const [k, v] of Object.entries(patch.context)) if (v === null) delete merged[k]
      const { secret, open } = splitContext(connector, merged)
      const sealed = await sealJson(this.keyring, secret)
      Object.assign(next, {
        context: JSON.stringify(open),
        secretCiphertext: sealed.ciphertext,
        secretIv: sealed.iv,
        secretTag: sealed.tag,
        keyVersion: sealed.keyVersion,
      })
    }
    await this.db.update(integratedAccounts).set(next).where(eq(integratedAccounts.id, row.id))
    this.rows.invalidate(row.id)
    this.opened.forget(row.id)
    return next
  }

  async setStatus(id: string, status: string, lastError: string | null): Promise<void> {
    await this.db
      .update(integratedAccounts)
      .set({ status, lastError, updatedAt: new Date().toISOString() })
      .where(eq(integratedAccounts.id, id))
    this.rows.invalidate(id)
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.delete(integratedAccounts).where(eq(integratedAccounts.id, id)).returning({ id: integratedAccounts.id })
    this.rows.invalidate(id)
    this.opened.forget(id)
    return rows.length > 0
  }

  /** Decrypt the secrets (and remember them so logs can scrub them). */
  async open(row: IntegratedAccountRow): Promise<ResolvedAccount> {
    const ref = { accountId: row.id, keyVersion: row.keyVersion, iv: row.secretIv, tag: row.secretTag, ciphertext: row.secretCiphertext }
    let secret = this.opened.get(ref)
    if (!secret) {
      secret = Object.freeze(
        await openJson<Record<string, unknown>>(this.keyring, {
          ciphertext: row.secretCiphertext,
          iv: row.secretIv,
          tag: row.secretTag,
          keyVersion: row.keyVersion,
        }),
      )
      this.opened.set(ref, secret)
    }
    const credentials: Record<string, string> = {}
    const secrets: string[] = []
    for (const [k, v] of Object.entries(secret)) {
      credentials[k] = typeof v === 'string' ? v : JSON.stringify(v)
      this.redactor.remember(credentials[k])
      secrets.push(credentials[k])
    }
    return { row, credentials, context: JSON.parse(row.context) as Record<string, unknown>, secrets }
  }

  /** Drops what this store remembers of an account re-sealed elsewhere (key rotation, src/crypto/key-rotation.ts). */
  forget(id: string): void {
    this.rows.invalidate(id)
    this.opened.forget(id)
  }
}

export function toAccountView(row: IntegratedAccountRow, connector?: ConnectorDefinition): AccountView {
  return {
    id: row.id,
    integration: { id: row.integration, name: row.integration, label: connector?.label ?? row.integration },
    integration_name: row.integration,
    environment_integration_id: row.integration,
    environment_id: 'default',
    is_sandbox: row.environment === 'sandbox',
    tenant_id: row.tenantId,
    environment: row.environment,
    status: row.status,
    context: JSON.parse(row.context) as Record<string, unknown>,
    credential_fields: (connector?.credentials ?? []).filter((f) => f.secret).map((f) => f.name),
    last_error: row.lastError,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }
}

/**
 * API tokens: random, shown once, stored as SHA-256. The operator's bootstrap token
 * (`UNIMETER_ADMIN_TOKEN`) is checked by hash too and never written to the database.
 */
import { and, eq, isNull, desc } from 'drizzle-orm'
import { sha256Hex as webSha256Hex, timingSafeEqual, type Sha256Hex } from '../crypto/digest'
import { randomToken } from '../crypto/encoding'
import type { AppDatabase } from '../db/database'
import { RowCache } from '../db/row-cache'
import { apiTokens, type ApiTokenRow } from '../db/schema'
import { storedRole, type TokenRole } from './token-roles'

const LAST_USED_RESOLUTION_MS = 60_000

export interface TokenIdentity {
  id: string
  name: string
  role: TokenRole
  /** The tenant the token is bound to; null: every tenant. */
  tenantId: string | null
}

/** The operator's UNIMETER_ADMIN_TOKEN: admin of every tenant, and not revocable through the API. */
const BOOTSTRAP_IDENTITY: TokenIdentity = Object.freeze({
  id: 'bootstrap',
  name: 'UNIMETER_ADMIN_TOKEN',
  role: 'admin',
  tenantId: null,
})

/**
 * A token verified once, kept for the requests after it: the identity they are handed (the same
 * frozen object each time) and when the token was last recorded as used, in ms since the epoch.
 */
interface VerifiedToken {
  identity: TokenIdentity
  lastUsedMs: number
}

export class TokenStore {
  private bootstrapHash?: string
  /**
   * Active tokens by the SHA-256 the database stores them under (never the token itself), so a
   * request does not read or rebuild its token's identity again (see row-cache.ts).
   */
  private readonly active: RowCache<VerifiedToken>

  /**
   * `sha256Hex`: the runtime's SHA-256 (the same digest as Web Crypto's, cheaper per request on
   * Node). `dataVersion`: the database's change counter (see RowCache); without it tokens are read
   * every time.
   */
  constructor(
    private readonly db: AppDatabase,
    private readonly sha256Hex: Sha256Hex = webSha256Hex,
    dataVersion?: () => number,
  ) {
    this.active = new RowCache(dataVersion)
  }

  async setBootstrapToken(token: string | undefined): Promise<void> {
    this.bootstrapHash = token ? await this.sha256Hex(token) : undefined
  }

  async create(name: string, access: { role?: TokenRole; tenantId?: string | null } = {}): Promise<{ token: string; row: ApiTokenRow }> {
    const token = randomToken('um_', 32)
    const row: ApiTokenRow = {
      id: crypto.randomUUID(),
      name,
      tokenHash: await this.sha256Hex(token),
      prefix: token.slice(0, 9),
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
      role: access.role ?? 'admin',
      tenantId: access.tenantId ?? null,
    }
    await this.db.insert(apiTokens).values(row)
    return { token, row }
  }

  async countActive(): Promise<number> {
    const rows = await this.db.select({ id: apiTokens.id }).from(apiTokens).where(isNull(apiTokens.revokedAt))
    return rows.length
  }

  /** Active admin tokens of every tenant: who can still manage tokens. */
  async countActiveUnboundAdmins(): Promise<number> {
    const rows = await this.db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(and(isNull(apiTokens.revokedAt), eq(apiTokens.role, 'admin'), isNull(apiTokens.tenantId)))
    return rows.length
  }

  /** Whether UNIMETER_ADMIN_TOKEN is set: then an operator can never be locked out. */
  hasBootstrapToken(): boolean {
    return this.bootstrapHash !== undefined
  }

  async list(): Promise<ApiTokenRow[]> {
    return this.db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt))
  }

  async get(id: string): Promise<ApiTokenRow | undefined> {
    const rows = await this.db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1)
    return rows[0]
  }

  async revoke(id: string): Promise<boolean> {
    const rows = await this.db
      .update(apiTokens)
      .set({ revokedAt: new Date().toISOString() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id })
    // Cached by hash, not id: a revocation forgets every cached token.
    this.active.invalidate()
    return rows.length > 0
  }

  /** The identity behind a presented token, or undefined (unknown or revoked). */
  async verify(token: string): Promise<TokenIdentity | undefined> {
    const hash = await this.sha256Hex(token)
    if (this.bootstrapHash && timingSafeEqual(hash, this.bootstrapHash)) return BOOTSTRAP_IDENTITY
    const verified = await this.active.load(hash, async () => {
      const rows = await this.db
        .select()
        .from(apiTokens)
        .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)))
        .limit(1)
      return rows[0] && verifiedToken(rows[0])
    })
    if (!verified) return undefined
    // last_used_at tells an operator which tokens are dead; a write per minute is precise enough
    // and keeps busy tokens from costing a write on every request.
    const now = Date.now()
    if (now - verified.lastUsedMs >= LAST_USED_RESOLUTION_MS) {
      const at = new Date(now).toISOString()
      await this.db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, verified.identity.id))
      verified.lastUsedMs = now
    }
    return verified.identity
  }
}

function verifiedToken(row: ApiTokenRow): VerifiedToken {
  return {
    identity: Object.freeze({ id: row.id, name: row.name, role: storedRole(row.role), tenantId: row.tenantId }),
    // Never used: the first request records it. An unreadable stored time is left as it is.
    lastUsedMs: row.lastUsedAt ? Date.parse(row.lastUsedAt) : Number.NEGATIVE_INFINITY,
  }
}

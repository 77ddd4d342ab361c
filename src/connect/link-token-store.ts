/**
 * Link tokens: random, shown once to the app that asks for one, stored as SHA-256. A token is
 * good for one tenant until it expires, for a few failed credential submissions, and for one
 * successful connection: a submission claims it first (a conditional update), so two submissions
 * racing with the same token cannot both create an account.
 */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { Sha256Hex } from '../crypto/digest'
import { randomToken } from '../crypto/encoding'
import type { AppDatabase } from '../db/database'
import { linkTokens, type LinkTokenRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'

export const LINK_TOKEN_PREFIX = 'lt_'
export const DEFAULT_LINK_TOKEN_TTL_S = 30 * 60
export const MAX_LINK_TOKEN_TTL_S = 7 * 24 * 60 * 60
/** Credential submissions the vendor refused before the token is spent: a pasted key is not guessed. */
export const MAX_FAILED_ATTEMPTS = 10
/** A claim older than this is from a submission that died mid-way; the token is free again. */
const CLAIM_HOLD_MS = 2 * 60_000

export interface LinkTokenInput {
  tenantId: string
  integrations: string[] | null
  redirectUri: string | null
  integratedAccountId: string | null
  createdBy: string
  expiresInSeconds: number
}

/** Why a token cannot be used; `error_type` is the SDK's name for it. */
export class LinkTokenError extends ApiError {
  constructor(status: number, code: string, message: string) {
    super(status, code, message, { details: { error_type: 'invalid_token' } })
  }
}

export class LinkTokenStore {
  constructor(
    private readonly db: AppDatabase,
    private readonly sha256Hex: Sha256Hex,
  ) {}

  async create(input: LinkTokenInput, now = Date.now()): Promise<{ token: string; row: LinkTokenRow }> {
    const token = randomToken(LINK_TOKEN_PREFIX, 32)
    const row: LinkTokenRow = {
      id: crypto.randomUUID(),
      tokenHash: await this.sha256Hex(token),
      tenantId: input.tenantId,
      integrations: input.integrations ? JSON.stringify(input.integrations) : null,
      redirectUri: input.redirectUri,
      integratedAccountId: input.integratedAccountId,
      createdBy: input.createdBy,
      expiresAt: now + input.expiresInSeconds * 1000,
      failedAttempts: 0,
      claimedAt: null,
      usedAt: null,
      resultAccountId: null,
      createdAt: new Date(now).toISOString(),
    }
    await this.db.insert(linkTokens).values(row)
    return { token, row }
  }

  /** The token's row while it can still be used; otherwise a LinkTokenError saying why not. */
  async usable(token: string | undefined, now = Date.now()): Promise<LinkTokenRow> {
    if (!token || !token.startsWith(LINK_TOKEN_PREFIX) || token.length > 200) {
      throw new LinkTokenError(401, 'invalid_link_token', 'This link is not valid: ask the app that sent you here for a new one')
    }
    const row = (
      await this.db
        .select()
        .from(linkTokens)
        .where(eq(linkTokens.tokenHash, await this.sha256Hex(token)))
        .limit(1)
    )[0]
    if (!row) throw new LinkTokenError(401, 'invalid_link_token', 'This link is not valid: ask the app that sent you here for a new one')
    if (row.usedAt) throw new LinkTokenError(410, 'link_token_used', 'This link was already used to connect an account: ask for a new one')
    if (row.expiresAt <= now)
      throw new LinkTokenError(401, 'link_token_expired', 'This link has expired: ask the app that sent you here for a new one')
    if (row.failedAttempts >= MAX_FAILED_ATTEMPTS) {
      throw new LinkTokenError(429, 'link_token_attempts_exhausted', 'Too many failed attempts with this link: ask for a new one')
    }
    return row
  }

  /** Holds the token for one submission; a concurrent one is refused. */
  async claim(row: LinkTokenRow, now = Date.now()): Promise<void> {
    const claimed = await this.db
      .update(linkTokens)
      .set({ claimedAt: now })
      .where(
        and(
          eq(linkTokens.id, row.id),
          isNull(linkTokens.usedAt),
          or(isNull(linkTokens.claimedAt), lt(linkTokens.claimedAt, now - CLAIM_HOLD_MS)),
        ),
      )
      .returning({ id: linkTokens.id })
    if (claimed.length === 0) {
      throw new LinkTokenError(409, 'link_token_in_use', 'This link is being used by another submission right now: wait for it to finish')
    }
  }

  /** Frees a claimed token after a failed submission, counting the failure. */
  async release(row: LinkTokenRow, failed: boolean): Promise<void> {
    await this.db
      .update(linkTokens)
      .set({ claimedAt: null, ...(failed ? { failedAttempts: sql`${linkTokens.failedAttempts} + 1` } : {}) })
      .where(eq(linkTokens.id, row.id))
  }

  async markUsed(row: LinkTokenRow, accountId: string): Promise<void> {
    await this.db.update(linkTokens).set({ usedAt: new Date().toISOString(), resultAccountId: accountId }).where(eq(linkTokens.id, row.id))
  }
}

export function allowedIntegrations(row: LinkTokenRow): string[] | null {
  return row.integrations ? (JSON.parse(row.integrations) as string[]) : null
}

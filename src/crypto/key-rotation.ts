/**
 * Encryption key rotation, the same on Node and Workers: credentials of integrated accounts and
 * signing secrets of webhooks sealed under an older key version are re-sealed under the current
 * one. `npm run rotate-key` (Node, on the SQLite file) and POST /admin/rotate-encryption-key (any
 * runtime, on the gateway's own database) both run rotateKeyBatch.
 *
 * Each call first proves the keyring (every key version found in the database is configured, and
 * opens one row of its own) and changes nothing when that fails; then it re-seals at most `limit`
 * rows, oldest ids first. A re-sealed row leaves the selection, so calling again continues where
 * the last call stopped, and a call cut short loses nothing: each row is either still old or
 * fully new. A row's update only applies while the row still holds what was read (same IV, which
 * is random per seal), so a credential changed meanwhile by the API is never overwritten.
 *
 * Bounded for a Worker invocation (D1 allows 1,000 queries per invocation on Workers Paid, 50 on
 * Free: https://developers.cloudflare.com/d1/platform/limits/): one call makes 2 counting queries,
 * 1 proving query per key version and table, 2 selects, then the updates (one per row, in one
 * atomic batch), and 2 counting queries again: about `limit` + 10.
 */
import { and, asc, count, eq, ne } from 'drizzle-orm'
import type { AtomicStatement, AtomicWriter } from '../db/atomic'
import type { AppDatabase } from '../db/database'
import { integratedAccounts, webhooks } from '../db/schema'
import { openJson, sealJson } from './aes-gcm'
import type { Keyring } from './keyring'

/** Rows per key version, by table. */
export interface KeyVersionCounts {
  integratedAccounts: Record<number, number>
  webhooks: Record<number, number>
}

export interface RotationBatch {
  currentVersion: number
  before: KeyVersionCounts
  /** Rows re-sealed by this call. */
  reencrypted: { integratedAccounts: number; webhooks: number }
  after: KeyVersionCounts
  /** Every row is on the current version: the older keys can be removed. */
  done: boolean
}

/** Why a rotation refused to start; nothing was written. */
export class KeyRotationError extends Error {
  constructor(
    readonly code: 'encryption_key_missing' | 'encryption_key_mismatch',
    message: string,
  ) {
    super(message)
  }
}

export interface RotationDeps {
  db: AppDatabase
  keyring: Keyring
  atomic: AtomicWriter
  /** Told each re-sealed account id, so a cached copy of the old row is dropped. */
  forgetAccount?: (id: string) => void
}

/** The most rows one call re-seals (a Worker invocation's budget, see above). */
export const MAX_ROTATION_BATCH = 500

interface SealedColumns {
  id: string
  secretCiphertext: string
  secretIv: string
  secretTag: string
  keyVersion: number
}

const toRecord = (rows: Array<{ version: number; n: number }>) => Object.fromEntries(rows.map((r) => [r.version, r.n]))

export async function keyVersionCounts(db: AppDatabase): Promise<KeyVersionCounts> {
  const [accounts, hooks] = await Promise.all([
    db.select({ version: integratedAccounts.keyVersion, n: count() }).from(integratedAccounts).groupBy(integratedAccounts.keyVersion),
    db.select({ version: webhooks.keyVersion, n: count() }).from(webhooks).groupBy(webhooks.keyVersion),
  ])
  return { integratedAccounts: toRecord(accounts), webhooks: toRecord(hooks) }
}

const versionsIn = (counts: Record<number, number>) => Object.keys(counts).map(Number)

/** Rows not on the current key version. */
export const staleRows = (counts: KeyVersionCounts, current: number) =>
  Object.values(counts)
    .flatMap((byVersion: Record<number, number>) => Object.entries(byVersion))
    .reduce((sum, [version, n]) => (Number(version) === current ? sum : sum + n), 0)

async function openSealed(keyring: Keyring, row: SealedColumns, what: string): Promise<unknown> {
  try {
    return await openJson<unknown>(keyring, {
      ciphertext: row.secretCiphertext,
      iv: row.secretIv,
      tag: row.secretTag,
      keyVersion: row.keyVersion,
    })
  } catch {
    throw new KeyRotationError(
      'encryption_key_mismatch',
      `the key configured as version ${row.keyVersion} does not decrypt ${what} ${row.id}: check UNIMETER_ENCRYPTION_KEY / UNIMETER_PREVIOUS_ENCRYPTION_KEYS`,
    )
  }
}

async function reseal(keyring: Keyring, row: SealedColumns, what: string) {
  const sealed = await sealJson(keyring, await openSealed(keyring, row, what))
  return { secretCiphertext: sealed.ciphertext, secretIv: sealed.iv, secretTag: sealed.tag, keyVersion: sealed.keyVersion }
}

/** Refuses (KeyRotationError) unless every key version in use is configured and opens a row of its own. */
async function proveKeyring(db: AppDatabase, keyring: Keyring, counts: KeyVersionCounts): Promise<void> {
  const inUse = [...new Set([...versionsIn(counts.integratedAccounts), ...versionsIn(counts.webhooks)])]
  const missing = inUse.filter((v) => !keyring.byVersion.has(v)).sort((a, b) => a - b)
  if (missing.length > 0) {
    throw new KeyRotationError(
      'encryption_key_missing',
      `accounts or webhook secrets are encrypted with key version(s) ${missing.join(', ')}, which are not configured: add them to UNIMETER_PREVIOUS_ENCRYPTION_KEYS as \`<version>:<key>\``,
    )
  }
  // One row per version proves that version's key is the right one before anything is rewritten.
  for (const version of versionsIn(counts.integratedAccounts)) {
    const [row] = await db.select().from(integratedAccounts).where(eq(integratedAccounts.keyVersion, version)).limit(1)
    if (row) await openSealed(keyring, row, 'account')
  }
  for (const version of versionsIn(counts.webhooks)) {
    const [row] = await db.select().from(webhooks).where(eq(webhooks.keyVersion, version)).limit(1)
    if (row) await openSealed(keyring, row, 'the signing secret of webhook')
  }
}

/** One bounded step of the rotation; call again until `done`. */
export async function rotateKeyBatch(deps: RotationDeps, limit: number): Promise<RotationBatch> {
  const { db, keyring } = deps
  const current = keyring.current.version
  const size = Math.max(1, Math.min(MAX_ROTATION_BATCH, Math.floor(limit)))
  const before = await keyVersionCounts(db)
  await proveKeyring(db, keyring, before)

  const accountRows = await db
    .select()
    .from(integratedAccounts)
    .where(ne(integratedAccounts.keyVersion, current))
    .orderBy(asc(integratedAccounts.id))
    .limit(size)
  const webhookRows =
    accountRows.length < size
      ? await db
          .select()
          .from(webhooks)
          .where(ne(webhooks.keyVersion, current))
          .orderBy(asc(webhooks.id))
          .limit(size - accountRows.length)
      : []

  const statements: AtomicStatement[] = []
  for (const row of accountRows) {
    const next = await reseal(keyring, row, 'account')
    statements.push(
      db
        .update(integratedAccounts)
        .set(next)
        .where(and(eq(integratedAccounts.id, row.id), eq(integratedAccounts.secretIv, row.secretIv))),
    )
  }
  for (const row of webhookRows) {
    const next = await reseal(keyring, row, 'the signing secret of webhook')
    statements.push(
      db
        .update(webhooks)
        .set(next)
        .where(and(eq(webhooks.id, row.id), eq(webhooks.secretIv, row.secretIv))),
    )
  }
  await deps.atomic.run(statements)
  for (const row of accountRows) deps.forgetAccount?.(row.id)

  const after = await keyVersionCounts(db)
  const done = [...versionsIn(after.integratedAccounts), ...versionsIn(after.webhooks)].every((v) => v === current)
  return {
    currentVersion: current,
    before,
    reencrypted: { integratedAccounts: accountRows.length, webhooks: webhookRows.length },
    after,
    done,
  }
}

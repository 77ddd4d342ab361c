/**
 * `npm run rotate-key`: re-encrypts every integrated account's credentials (and every webhook's
 * signing secret) under the current encryption key version.
 *
 * The operator sets the NEW key as UNIMETER_ENCRYPTION_KEY with a higher
 * UNIMETER_ENCRYPTION_KEY_VERSION, and lists every older key still in use in
 * UNIMETER_PREVIOUS_ENCRYPTION_KEYS (`1:<key>`). A gateway started with the same settings reads
 * old and new rows alike, so it can keep serving while this runs; afterwards the old keys can be
 * dropped. Nothing is written unless every key version found in the database can be opened.
 *
 * The rotation itself is src/crypto/key-rotation.ts, which POST /admin/rotate-encryption-key
 * runs too (the way to rotate on Workers, where there is no database file to open): this command
 * runs its batches back to back on the SQLite file.
 */
import { pathToFileURL } from 'node:url'
import { loadSettings } from '../../config/settings'
import { keyVersionCounts, MAX_ROTATION_BATCH, rotateKeyBatch, staleRows } from '../../crypto/key-rotation'
import { createKeyring } from '../../crypto/keyring'
import { sqliteTransactionWriter } from '../../db/atomic'
import { openSqlite } from '../../db/open-sqlite'

interface RotationReport {
  currentVersion: number
  /** Accounts per key version before the rotation. */
  before: Record<number, number>
  reencrypted: number
  /** Webhook signing secrets re-sealed. */
  webhookSecrets: number
  /** Accounts per key version afterwards: only the current version when it worked. */
  after: Record<number, number>
}

export async function rotateEncryptionKey(env: Record<string, string | undefined>): Promise<RotationReport> {
  const settings = loadSettings(env)
  // The key file beside the database would silently become "the new key": rotation must be explicit.
  if (!settings.UNIMETER_ENCRYPTION_KEY) {
    throw new Error(
      'UNIMETER_ENCRYPTION_KEY must hold the new key (32 bytes, base64 or hex); list the old ones in UNIMETER_PREVIOUS_ENCRYPTION_KEYS as `1:<key>`',
    )
  }
  const keyring = await createKeyring(
    { key: settings.UNIMETER_ENCRYPTION_KEY, version: settings.UNIMETER_ENCRYPTION_KEY_VERSION },
    settings.UNIMETER_PREVIOUS_ENCRYPTION_KEYS,
  )
  const sqlite = openSqlite(settings.UNIMETER_DATABASE_PATH)
  try {
    const deps = { db: sqlite.db, keyring, atomic: sqliteTransactionWriter(sqlite.db) }
    const start = await keyVersionCounts(sqlite.db)
    // One pass over the rows stale at the start: rows an older gateway writes meanwhile are left
    // for the next run (reported below), so a busy writer cannot keep this loop going.
    let passes = Math.ceil(staleRows(start, keyring.current.version) / MAX_ROTATION_BATCH)
    let batch = await rotateKeyBatch(deps, MAX_ROTATION_BATCH)
    let reencrypted = batch.reencrypted.integratedAccounts
    let webhookSecrets = batch.reencrypted.webhooks
    while (!batch.done && --passes > 0) {
      batch = await rotateKeyBatch(deps, MAX_ROTATION_BATCH)
      reencrypted += batch.reencrypted.integratedAccounts
      webhookSecrets += batch.reencrypted.webhooks
    }
    return {
      currentVersion: keyring.current.version,
      before: start.integratedAccounts,
      reencrypted,
      webhookSecrets,
      after: batch.after.integratedAccounts,
    }
  } finally {
    sqlite.close()
  }
}

async function main(): Promise<void> {
  try {
    const report = await rotateEncryptionKey(process.env)
    console.log(`re-encrypted ${report.reencrypted} account(s) under key version ${report.currentVersion}`)
    console.log(`re-encrypted ${report.webhookSecrets} webhook secret(s)`)
    console.log(`accounts per key version: before ${JSON.stringify(report.before)}, after ${JSON.stringify(report.after)}`)
    const stale = Object.keys(report.after).filter((v) => Number(v) !== report.currentVersion)
    if (stale.length > 0) {
      console.error(`accounts still on version(s) ${stale.join(', ')} (written during the rotation?): run rotate-key again`)
      process.exitCode = 1
    }
  } catch (err) {
    console.error(`rotate-key failed: ${(err as Error).message}`)
    process.exitCode = 1
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main()

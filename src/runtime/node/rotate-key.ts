/**
 * `npm run rotate-key`: re-encrypts every integrated account's credentials (and every webhook's
 * signing secret) under the current encryption key version.
 *
 * The operator sets the NEW key as UNIMETER_ENCRYPTION_KEY with a higher
 * UNIMETER_ENCRYPTION_KEY_VERSION, and lists every older key still in use in
 * UNIMETER_PREVIOUS_ENCRYPTION_KEYS (`1:<key>`). A gateway started with the same settings reads
 * old and new rows alike, so it can keep serving while this runs; afterwards the old keys can be
 * dropped. Nothing is written unless every key version found in the database can be opened.
 */
import { count, eq } from 'drizzle-orm'
import { pathToFileURL } from 'node:url'
import { AccountStore } from '../../accounts/account-store'
import { loadSettings } from '../../config/settings'
import { openJson } from '../../crypto/aes-gcm'
import { createKeyring } from '../../crypto/keyring'
import { integratedAccounts } from '../../db/schema'
import { Redactor } from '../../lib/redactor'
import type { AppDatabase } from '../../db/database'
import { openSqlite } from '../../db/open-sqlite'
import { reencryptWebhookSecrets, webhookKeyVersions } from '../../webhooks/webhook-store'

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

async function countByVersion(db: AppDatabase): Promise<Record<number, number>> {
  const rows = await db
    .select({ version: integratedAccounts.keyVersion, n: count() })
    .from(integratedAccounts)
    .groupBy(integratedAccounts.keyVersion)
  return Object.fromEntries(rows.map((r) => [r.version, r.n]))
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
    const before = await countByVersion(sqlite.db)
    const missing = [...new Set([...Object.keys(before).map(Number), ...(await webhookKeyVersions(sqlite.db))])].filter(
      (v) => !keyring.byVersion.has(v),
    )
    if (missing.length > 0) {
      throw new Error(
        `accounts or webhook secrets are encrypted with key version(s) ${missing.join(', ')}, which are not configured: add them to UNIMETER_PREVIOUS_ENCRYPTION_KEYS as \`<version>:<key>\``,
      )
    }
    // One row per version proves that version's key is the right one before anything is rewritten.
    for (const version of Object.keys(before).map(Number)) {
      const [row] = await sqlite.db.select().from(integratedAccounts).where(eq(integratedAccounts.keyVersion, version)).limit(1)
      try {
        await openJson(keyring, { ciphertext: row.secretCiphertext, iv: row.secretIv, tag: row.secretTag, keyVersion: row.keyVersion })
      } catch {
        throw new Error(
          `the key configured as version ${version} does not decrypt account ${row.id}: check UNIMETER_ENCRYPTION_KEY / UNIMETER_PREVIOUS_ENCRYPTION_KEYS`,
        )
      }
    }
    const reencrypted = await new AccountStore(sqlite.db, keyring, new Redactor()).reencryptAll()
    const webhookSecrets = await reencryptWebhookSecrets(sqlite.db, keyring)
    const after = await countByVersion(sqlite.db)
    return { currentVersion: keyring.current.version, before, reencrypted, webhookSecrets, after }
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

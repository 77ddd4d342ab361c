/**
 * Node: the encryption key comes from UNIMETER_ENCRYPTION_KEY, or from a file generated beside
 * the database on first start (0600, owner-only), so a fresh checkout just works.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { bytesToBase64, randomBytes } from '../../crypto/encoding'

export function loadOrCreateKey(envKey: string | undefined, databasePath: string): { key: string; source: string } {
  if (envKey) return { key: envKey, source: 'UNIMETER_ENCRYPTION_KEY' }
  const dir = databasePath === ':memory:' ? resolve('./data') : dirname(resolve(databasePath))
  const file = join(dir, 'encryption.key')
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777
    if (mode & 0o077) chmodSync(file, 0o600)
    return { key: readFileSync(file, 'utf8').trim(), source: file }
  }
  mkdirSync(dir, { recursive: true })
  const key = bytesToBase64(randomBytes(32))
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' })
  return { key, source: `${file} (generated)` }
}

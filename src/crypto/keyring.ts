/**
 * The encryption keyring: one current key (used to encrypt) and older versions (still able to
 * decrypt during a rotation). Keys are 32 raw bytes, given as base64 or hex.
 */
import { base64ToBytes, hexToBytes } from './encoding'

interface KeyEntry {
  version: number
  raw: Uint8Array
  aes: CryptoKey
}

export interface Keyring {
  current: KeyEntry
  byVersion: Map<number, KeyEntry>
}

function parseKeyMaterial(text: string, what: string): Uint8Array {
  const trimmed = text.trim()
  let bytes: Uint8Array | undefined
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) bytes = hexToBytes(trimmed)
  else {
    try {
      bytes = base64ToBytes(trimmed.replace(/-/g, '+').replace(/_/g, '/'))
    } catch {
      bytes = undefined
    }
  }
  if (!bytes || bytes.length !== 32) {
    throw new Error(`${what} must be 32 bytes encoded as base64 (44 characters) or hex (64 characters)`)
  }
  return bytes
}

async function entry(version: number, raw: Uint8Array): Promise<KeyEntry> {
  const aes = await crypto.subtle.importKey('raw', raw as BufferSource, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt'])
  return { version, raw, aes }
}

/**
 * @param current the current key text and its version
 * @param previous `1:<key>,2:<key>` — versions that must still decrypt
 */
export async function createKeyring(current: { key: string; version: number }, previous?: string): Promise<Keyring> {
  const cur = await entry(current.version, parseKeyMaterial(current.key, 'UNIMETER_ENCRYPTION_KEY'))
  const byVersion = new Map<number, KeyEntry>([[cur.version, cur]])
  for (const part of (previous ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const idx = part.indexOf(':')
    const version = Number(part.slice(0, idx))
    if (idx < 1 || !Number.isInteger(version) || version < 1) {
      throw new Error('UNIMETER_PREVIOUS_ENCRYPTION_KEYS must look like `1:<key>,2:<key>`')
    }
    if (version === cur.version) continue
    byVersion.set(version, await entry(version, parseKeyMaterial(part.slice(idx + 1), `previous key version ${version}`)))
  }
  return { current: cur, byVersion }
}

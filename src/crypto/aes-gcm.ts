/**
 * AES-256-GCM for credentials at rest: a fresh 96-bit IV per value, the 128-bit tag stored
 * apart from the ciphertext, and the key version alongside so rotation can find the right key.
 */
import { base64ToBytes, bytesToBase64, randomBytes, utf8 } from './encoding'
import type { Keyring } from './keyring'

interface Sealed {
  ciphertext: string
  iv: string
  tag: string
  keyVersion: number
}

const TAG_BYTES = 16

export async function sealJson(keyring: Keyring, value: unknown, keyVersion = keyring.current.version): Promise<Sealed> {
  const key = keyring.byVersion.get(keyVersion)
  if (!key) throw new Error(`no encryption key version ${keyVersion}`)
  const iv = randomBytes(12)
  const out = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key.aes, utf8.encode(JSON.stringify(value)) as BufferSource),
  )
  return {
    ciphertext: bytesToBase64(out.slice(0, out.length - TAG_BYTES)),
    iv: bytesToBase64(iv),
    tag: bytesToBase64(out.slice(out.length - TAG_BYTES)),
    keyVersion: key.version,
  }
}

export async function openJson<T = unknown>(keyring: Keyring, sealed: Sealed): Promise<T> {
  const key = keyring.byVersion.get(sealed.keyVersion)
  if (!key) {
    throw new Error(`credentials are encrypted with key version ${sealed.keyVersion}, which is not configured`)
  }
  const body = base64ToBytes(sealed.ciphertext)
  const tag = base64ToBytes(sealed.tag)
  const joined = new Uint8Array(body.length + tag.length)
  joined.set(body)
  joined.set(tag, body.length)
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: base64ToBytes(sealed.iv) as BufferSource },
    key.aes,
    joined as BufferSource,
  )
  return JSON.parse(utf8.decode(new Uint8Array(plain))) as T
}

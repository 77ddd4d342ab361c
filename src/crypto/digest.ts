/** Hashes and MACs over Web Crypto, shared by tokens, cursors and webhook signatures. */
import { bytesToBase64Url, bytesToHex, utf8 } from './encoding'

/** SHA-256 of UTF-8 text as lower-case hex; a runtime may give a faster one of the same result. */
export type Sha256Hex = (text: string) => Promise<string>

export async function sha256Hex(text: string): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8.encode(text) as BufferSource)))
}

/** HMAC-SHA-256 under one fixed key, base64url; a runtime may give a faster one of the same result. */
export type HmacSigner = (text: string) => Promise<string>
export type HmacSignerFactory = (rawKey: Uint8Array) => Promise<HmacSigner>

export const webHmacSigner: HmacSignerFactory = async (rawKey) => {
  const key = await hmacKey(rawKey)
  return (text) => hmacBase64Url(key, text)
}

export async function hmacKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
}

async function hmacBytes(key: CryptoKey, text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8.encode(text) as BufferSource))
}

export async function hmacHex(key: CryptoKey, text: string): Promise<string> {
  return bytesToHex(await hmacBytes(key, text))
}

export async function hmacBase64Url(key: CryptoKey, text: string): Promise<string> {
  return bytesToBase64Url(await hmacBytes(key, text))
}

/** A sub-key for one purpose, so the encryption key itself never signs anything. */
export async function deriveKey(master: Uint8Array, purpose: string): Promise<Uint8Array> {
  return hmacBytes(await hmacKey(master), `unimeter:${purpose}`)
}

/** Comparison whose time does not depend on where the strings differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

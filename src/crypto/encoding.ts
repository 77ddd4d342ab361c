/** Byte/text conversions that work the same on Node and Workers (no Buffer). */

/** Bytes per String.fromCharCode call: well under any engine's limit on a call's arguments. */
const CHUNK = 0x2000

export function bytesToBase64(bytes: Uint8Array): string {
  // A chunk of char codes per call, not a string grown byte by byte: every request signs a
  // cursor, and the byte-by-byte string was most of its cost (issue 16).
  let bin = ''
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  return btoa(bin)
}

export function base64ToBytes(text: string): Uint8Array {
  const bin = atob(text)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function base64UrlToBytes(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/')
  return base64ToBytes(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

// One of each: both are stateless here (no streaming), so sharing them is safe.
const encoder = new TextEncoder()
const decoder = new TextDecoder()

export const utf8 = {
  encode: (text: string) => encoder.encode(text),
  decode: (bytes: Uint8Array) => decoder.decode(bytes),
}

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length))
}

/** Random URL-safe token text with `bytes` of entropy. */
export function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}${bytesToBase64Url(randomBytes(bytes))}`
}

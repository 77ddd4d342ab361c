import { describe, expect, it } from 'vitest'
import { base64ToBytes, base64UrlToBytes, bytesToBase64, bytesToBase64Url } from '../../src/crypto/encoding'

/** Every byte value, repeated to `length`, so each chunk boundary falls on a different byte. */
const bytes = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7 + 3) % 256)

describe('base64 of bytes', () => {
  // bytesToBase64 converts by chunks of 8,192 char codes: lengths around the boundary included.
  it.each([0, 1, 2, 3, 255, 8191, 8192, 8193, 16_384, 70_001])('%i bytes: the same text as Buffer, and back', (length) => {
    const input = bytes(length)
    const buffer = Buffer.from(input)
    expect(bytesToBase64(input)).toBe(buffer.toString('base64'))
    expect(bytesToBase64Url(input)).toBe(buffer.toString('base64url'))
    expect(base64ToBytes(bytesToBase64(input))).toEqual(input)
    expect(base64UrlToBytes(bytesToBase64Url(input))).toEqual(input)
  })
})

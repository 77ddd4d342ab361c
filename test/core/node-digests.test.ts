/**
 * Node's faster SHA-256 and HMAC must give exactly Web Crypto's results: stored sync content hashes,
 * token hashes and signed cursors are compared across both runtimes.
 */
import { describe, expect, it } from 'vitest'
import { sha256Hex, webHmacSigner } from '../../src/crypto/digest'
import { nodeHmacSigner, nodeSha256Hex } from '../../src/runtime/node/node-digests'

describe('nodeSha256Hex', () => {
  it.each([
    ['empty', ''],
    ['ascii', '{"u":{"id":"user_1","name":"Ada"},"r":null}'],
    ['non-ASCII and astral characters', 'Zoë — 東京 🚀 \u0000 end'],
    ['longer than a block many times over', 'x'.repeat(100_000)],
  ])('matches Web Crypto for %s text', async (_, text) => {
    expect(await nodeSha256Hex(text)).toBe(await sha256Hex(text))
  })
})

describe('nodeHmacSigner', () => {
  it('signs exactly as Web Crypto does (base64url, no padding)', async () => {
    const key = new Uint8Array(32).map((_, i) => i * 7)
    const [node, web] = await Promise.all([nodeHmacSigner(key), webHmacSigner(key)])
    for (const text of ['', 'eyJhIjoiYWNjLTEifQ', 'Zoë 🚀'.repeat(100)]) expect(await node(text)).toBe(await web(text))
  })
})

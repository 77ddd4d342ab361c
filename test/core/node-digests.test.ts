/** Node's faster SHA-256 must give exactly Web Crypto's digest: stored sync content hashes compare across both. */
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/crypto/digest'
import { nodeSha256Hex } from '../../src/runtime/node/node-sha256'

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

import { describe, expect, it } from 'vitest'
import { createCursorCodec } from '../../src/engine/cursor'
import { hmacKey } from '../../src/crypto/digest'
import { createKeyring } from '../../src/crypto/keyring'
import { openJson, sealJson } from '../../src/crypto/aes-gcm'
import { nextVendorState, paginationParams } from '../../src/engine/pagination'
import { parseRetryAfter, rateLimitHeaders } from '../../src/engine/rate-limits'
import { renderPath, renderText } from '../../src/engine/template'
import { toIso, keyBy, maxBy, firstNonEmpty } from '../../src/engine/mapping/functions'
import { Redactor } from '../../src/lib/redactor'
import type { ConnectorDefinition } from '../../src/engine/connector-types'

describe('retry-after and rate-limit headers', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter('1.5')).toBe(1500)
    const now = Date.parse('2026-11-22T00:00:00Z')
    expect(parseRetryAfter('Sun, 22 Nov 2026 00:00:07 GMT', now)).toBe(7000)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(undefined)).toBeUndefined()
  })

  it('normalizes vendor headers into ratelimit-*', () => {
    const connector = {
      rateLimit: {
        limitHeader: 'X-RateLimit-Limit',
        remainingHeader: 'X-RateLimit-Remaining',
        resetHeader: 'X-RateLimit-Reset',
        resetFormat: 'unix-seconds',
      },
    } as unknown as ConnectorDefinition
    const now = Date.parse('2026-11-22T00:00:00Z')
    const out = rateLimitHeaders(
      connector,
      { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': String(now / 1000 + 42), 'retry-after': '5' },
      now,
    )
    expect(out).toEqual({ 'ratelimit-limit': '1000', 'ratelimit-remaining': '7', 'ratelimit-reset': '42', 'retry-after': '5' })
    expect(rateLimitHeaders({} as ConnectorDefinition, {})).toEqual({})
  })
})

describe('pagination strategies', () => {
  it('cursor: next from a path, has_more decides, a missing cursor with has_more is stranded', () => {
    const spec = {
      type: 'cursor',
      cursorParam: 'after_id',
      nextCursorPath: 'last_id',
      hasMorePath: 'has_more',
      limitParam: 'limit',
    } as const
    expect(paginationParams(spec, null, 10)).toEqual({ query: { limit: 10 }, body: {} })
    expect(paginationParams(spec, 'u_9', 10).query).toEqual({ limit: 10, after_id: 'u_9' })
    expect(nextVendorState(spec, null, { last_id: 'u_9', has_more: true }, 10, 10)).toEqual({ next: 'u_9', strandedMore: false })
    expect(nextVendorState(spec, null, { last_id: 'u_9', has_more: false }, 10, 10).next).toBeNull()
    expect(nextVendorState(spec, null, { last_id: null, has_more: true }, 0, 10)).toEqual({ next: null, strandedMore: true })
  })

  it('cursor without has_more: a present next cursor means more (Neon)', () => {
    const spec = { type: 'cursor', cursorParam: 'cursor', nextCursorPath: 'pagination.next', limitParam: 'limit' } as const
    expect(nextVendorState(spec, null, { pagination: { next: 'abc' } }, 5, 5).next).toBe('abc')
    expect(nextVendorState(spec, 'abc', {}, 5, 5).next).toBeNull()
  })

  it('page: short page or totalPages ends; params can go in the body', () => {
    const spec = { type: 'page', pageParam: 'page', limitParam: 'pageSize', totalPagesPath: 'totalPages', in: 'body' } as const
    expect(paginationParams(spec, null, 50)).toEqual({ query: {}, body: { pageSize: 50, page: 1 } })
    expect(nextVendorState(spec, 1, { totalPages: 3 }, 50, 50).next).toBe(2)
    expect(nextVendorState(spec, 3, { totalPages: 3 }, 50, 50).next).toBeNull()
    const short = { type: 'page', pageParam: 'page', limitParam: 'limit' } as const
    expect(nextVendorState(short, 2, {}, 10, 10).next).toBe(3)
    expect(nextVendorState(short, 2, {}, 9, 10).next).toBeNull()
  })

  it('offset advances by what came back', () => {
    const spec = { type: 'offset', offsetParam: 'offset', limitParam: 'limit' } as const
    expect(nextVendorState(spec, 20, {}, 10, 10).next).toBe(30)
    expect(nextVendorState(spec, 20, {}, 3, 10).next).toBeNull()
  })
})

describe('templates', () => {
  it('encodes each path value as exactly one segment', () => {
    expect(renderPath('/users/{{id}}', { id: '../admin' })).toBe('/users/..%2Fadmin')
    expect(renderPath('/orgs/{{context.org_id}}/members', { context: { org_id: 'a b' } })).toBe('/orgs/a%20b/members')
    expect(() => renderPath('/users/{{id}}', { id: '..' })).toThrow(/not a valid/)
    expect(() => renderPath('/users/{{id}}', {})).toThrow(/required/)
  })

  it('renders header templates and leaves missing values empty', () => {
    expect(renderText('Bearer {{credentials.api_key}}', { credentials: { api_key: 'k' } })).toBe('Bearer k')
    expect(renderText('{{credentials.__proto__}}', { credentials: {} })).toBe('')
  })
})

describe('cursors', () => {
  it('round-trips and refuses tampering and foreign bindings', async () => {
    const codec = createCursorCodec(await hmacKey(new Uint8Array(32).fill(1)))
    const binding = { accountId: 'a1', resource: 'usage-metering/users' }
    const token = await codec.encode(binding, { s: 'x', o: 3, ps: 10 })
    expect(await codec.decode(binding, token)).toMatchObject({ s: 'x', o: 3, ps: 10 })
    await expect(codec.decode({ ...binding, accountId: 'a2' }, token)).rejects.toMatchObject({ code: 'invalid_cursor' })
    await expect(
      codec.decode(
        binding,
        token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      ),
    ).rejects.toMatchObject({ code: 'invalid_cursor' })
    await expect(codec.decode(binding, 'x'.repeat(9000))).rejects.toMatchObject({ code: 'invalid_cursor' })
  })
})

describe('credential encryption', () => {
  it('seals with a fresh IV each time and opens with the right key version only', async () => {
    const k1 = Buffer.alloc(32, 1).toString('base64')
    const k2 = Buffer.alloc(32, 2).toString('hex')
    const v1 = await createKeyring({ key: k1, version: 1 })
    const a = await sealJson(v1, { api_key: 'secret' })
    const b = await sealJson(v1, { api_key: 'secret' })
    expect(a.iv).not.toBe(b.iv)
    expect(a.ciphertext).not.toContain('secret')
    const rotated = await createKeyring({ key: k2, version: 2 }, `1:${k1}`)
    expect(await openJson(rotated, a)).toEqual({ api_key: 'secret' })
    const c = await sealJson(rotated, { api_key: 'secret' })
    expect(c.keyVersion).toBe(2)
    await expect(openJson(v1, c)).rejects.toThrow(/key version 2/)
    await expect(openJson(v1, { ...a, tag: b.tag })).rejects.toThrow()
  })

  it('refuses keys of the wrong size', async () => {
    await expect(createKeyring({ key: 'short', version: 1 })).rejects.toThrow(/32 bytes/)
  })
})

describe('mapping functions and redaction', () => {
  it('toIso reads unix seconds, epoch ms, digit strings, RFC 3339 and dates', () => {
    expect(toIso(1711471533)).toBe('2024-03-26T16:45:33.000Z')
    expect(toIso(1710720000000)).toBe('2024-03-18T00:00:00.000Z')
    expect(toIso('1710720000000')).toBe('2024-03-18T00:00:00.000Z')
    expect(toIso('2024-10-30T23:58:27.427722Z')).toBe('2024-10-30T23:58:27.427Z')
    expect(toIso('2025-08-08')).toBe('2025-08-08T00:00:00.000Z')
    expect(toIso('nope')).toBeUndefined()
    expect(toIso(null)).toBeUndefined()
  })

  it('keyBy/maxBy build join tables once; firstNonEmpty skips empties', () => {
    const rows = [
      { a: { e: 'x' }, d: '2025-01-01' },
      { a: { e: 'x' }, d: '2025-02-01' },
      { a: { e: 'y' }, d: '2025-01-05' },
    ]
    expect(Object.keys(keyBy(rows, 'a.e'))).toEqual(['x', 'y'])
    expect({ ...maxBy(rows, 'a.e', 'd') }).toEqual({ x: '2025-02-01', y: '2025-01-05' })
    expect(firstNonEmpty(undefined, '', [], 0)).toBe(0)
  })

  it('redacts a remembered secret in plain, URL-encoded and basic-auth forms', () => {
    const redactor = new Redactor()
    redactor.remember('key_very/secret+1')
    const text = `a key_very/secret+1 b ${encodeURIComponent('key_very/secret+1')} c ${btoa('key_very/secret+1:')}`
    expect(redactor.redactText(text)).toBe('a [REDACTED] b [REDACTED] c [REDACTED]')
  })
})

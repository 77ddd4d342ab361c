/**
 * The public-https URL policy (src/engine/url-policy.ts) and the pieces around it: address
 * classification, DNS-resolved checks (with an injected resolver, so no test needs the network),
 * the connect-time lookup on Node, presigned query strings kept by buildUrl, and $minorUnits.
 */
import { describe, expect, it } from 'vitest'
import { publicOnlyLookup } from '../../src/engine/http/public-lookup'
import { minorUnits } from '../../src/engine/mapping/functions'
import { assertPublicUrl, classifyAddress } from '../../src/engine/url-policy'
import { buildUrl } from '../../src/engine/vendor-call'
import { ApiError } from '../../src/lib/http-errors'

const strict = { UNIMETER_ALLOW_PRIVATE_URLS: false }
const relaxed = { UNIMETER_ALLOW_PRIVATE_URLS: true }
const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ApiError)
  return err as ApiError
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['10.4.5.6', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'private (unique local)'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b:1::808:808', 'NAT64 local-use'],
    ['::ffff:0:10.1.2.3', 'private'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['::10.0.0.1', 'private'],
    ['::0.0.1.0', 'unspecified'],
    ['::127.0.0.1', 'loopback'],
    // 6to4: 2002:AABB:CCDD:: tunnels to AA.BB.CC.DD.
    ['2002:7f00:1::', 'loopback (127.0.0.1 inside 6to4)'],
    ['2002:7f00:0001:ffff::1', 'loopback (127.0.0.1 inside 6to4)'],
    ['[2002:c0a8:0101::1]', 'private (192.168.1.1 inside 6to4)'],
    ['2002:a9fe:a9fe::', 'link-local (169.254.169.254 inside 6to4)'],
    ['2002:0a00:0001::', 'private (10.0.0.1 inside 6to4)'],
    ['2002::', 'unspecified (0.0.0.0 inside 6to4)'],
    // Teredo: 2001:0:server:flags:port:~client; the example of RFC 4380 §4 has a documentation client.
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'documentation (192.0.2.45 inside Teredo)'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback (127.0.0.1 inside Teredo)'],
    ['2001:0:a00:1:8000:63bf:f7f7:f7f7', 'private (10.0.0.1 inside Teredo)'],
    ['2001::f5ff:fffe', 'unspecified (0.0.0.0 inside Teredo)'],
    ['2001:2::1', 'benchmarking'],
    ['3fff:1::1', 'documentation'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind)
  })

  it.each([
    '93.184.216.34',
    '172.32.0.1',
    '8.8.8.8',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    'not-an-ip',
    '64:ff9b::808:808',
    '::8.8.8.8',
    '2002:0808:0808::1',
    '2002:5db8:d822:1::',
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
    '2001:4860:4860::8888',
  ])('%s is public (or not an address)', (address) => {
    expect(classifyAddress(address)).toBeNull()
  })
})

describe('assertPublicUrl', () => {
  it('accepts https to a name that resolves to public addresses only', async () => {
    const url = await assertPublicUrl('https://snapshots.example.com/c.json?sig=1', strict, {
      resolve: resolvesTo('93.184.216.34', '2606:4700::1'),
    })
    expect(url.hostname).toBe('snapshots.example.com')
  })

  it('refuses a name with any private address, naming the address and the operator setting, never the query', async () => {
    const err = await refusal(
      assertPublicUrl('https://rebind.example.com/c.json?X-Signature=secret', strict, {
        label: 'context.snapshot_url',
        resolve: resolvesTo('93.184.216.34', '10.0.0.7'),
      }),
    )
    expect(err.status).toBe(400)
    expect(err.code).toBe('url_not_allowed')
    expect(err.message).toContain('context.snapshot_url')
    expect(err.message).toContain('10.0.0.7, a private address')
    expect(err.message).toContain('UNIMETER_ALLOW_PRIVATE_URLS=true')
    expect(err.message).not.toContain('secret')
  })

  it.each([
    'https://127.0.0.1/x',
    'https://[::1]/x',
    'https://2130706433/x',
    'https://0x7f.1/x',
    'https://169.254.169.254/latest/meta-data',
  ])('refuses the literal address in %s without resolving anything', async (url) => {
    const err = await refusal(assertPublicUrl(url, strict, { resolve: () => Promise.reject(new Error('must not resolve')) }))
    expect(err.code).toBe('url_not_allowed')
  })

  it('refuses localhost through the real resolver (/etc/hosts, no network)', async () => {
    const err = await refusal(assertPublicUrl('https://localhost:8443/c.json', strict))
    expect(err.code).toBe('url_not_allowed')
    expect(err.message).toMatch(/loopback/)
  })

  it('requires https for public hosts, whatever the setting', async () => {
    for (const settings of [strict, relaxed]) {
      const err = await refusal(assertPublicUrl('http://snapshots.example.com/c.json', settings, { resolve: resolvesTo('93.184.216.34') }))
      expect(err.code).toBe('url_not_allowed')
      expect(err.message).toContain('must use https')
    }
  })

  it('with UNIMETER_ALLOW_PRIVATE_URLS, private addresses pass, over http too', async () => {
    expect((await assertPublicUrl('http://127.0.0.1:4000/c.json', relaxed)).port).toBe('4000')
    expect((await assertPublicUrl('https://intranet.corp/c.json', relaxed, { resolve: resolvesTo('10.1.1.1') })).hostname).toBe(
      'intranet.corp',
    )
  })

  it('refuses other schemes and text that is not a URL', async () => {
    expect((await refusal(assertPublicUrl('ftp://example.com/c.json', relaxed))).code).toBe('url_not_allowed')
    expect((await refusal(assertPublicUrl('file:///etc/passwd', relaxed))).code).toBe('url_not_allowed')
    const invalid = await refusal(assertPublicUrl('not a url', strict, { label: 'context.snapshot_url' }))
    expect(invalid.code).toBe('invalid_url')
    expect(invalid.message).toContain('context.snapshot_url')
  })

  it('a name that does not resolve is a 502, not a pass', async () => {
    const err = await refusal(
      assertPublicUrl('https://nowhere.invalid/c.json', strict, { resolve: () => Promise.reject(new Error('ENOTFOUND')) }),
    )
    expect(err.status).toBe(502)
    expect(err.code).toBe('remote_unreachable')
  })

  it('a URL being saved whose name does not resolve (or resolves to nothing) is a 400 url_not_allowed', async () => {
    for (const resolve of [() => Promise.reject(new Error('getaddrinfo ENOTFOUND nowhere.invalid')), resolvesTo()]) {
      for (const settings of [strict, relaxed]) {
        const err = await refusal(
          assertPublicUrl('https://nowhere.invalid/hook?token=secret', settings, {
            label: 'target_url',
            resolve,
            refuseUnresolvable: true,
          }),
        )
        expect(err.status).toBe(400)
        expect(err.code).toBe('url_not_allowed')
        expect(err.message).toMatch(/^target_url \(https:\/\/nowhere\.invalid\) (could not be resolved|resolves to no address)/)
        expect(err.message).not.toContain('secret')
      }
    }
  })

  it('refuses names resolving to 6to4 or Teredo addresses that embed a private IPv4', async () => {
    for (const address of ['2002:7f00:1::1', '2001:0:4136:e378:8000:63bf:80ff:fffe']) {
      const err = await refusal(
        assertPublicUrl('https://tunnel.example.com/hook', strict, { resolve: resolvesTo('93.184.216.34', address) }),
      )
      expect(err.code).toBe('url_not_allowed')
      expect(err.message).toContain(`resolves to ${address}, a loopback (127.0.0.1 inside`)
    }
  })
})

describe('publicOnlyLookup (connect-time check on Node)', () => {
  const lookup = (hostname: string, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      publicOnlyLookup(hostname, { all }, (err, address) => resolve({ err, address })),
    )

  it('fails the connection when the name resolves to a loopback address', async () => {
    for (const all of [true, false]) {
      const { err } = await lookup('localhost', all)
      expect(err?.code).toBe('EPRIVATEADDRESS')
      expect(err?.message).toContain('loopback')
    }
  })
})

describe('buildUrl', () => {
  it('keeps the query of a presigned base URL and drops its fragment', () => {
    expect(buildUrl('https://s3.example.com/b/c.json?X-Amz-Signature=abc&X-Amz-Expires=60#top', '', { page: 2 })).toBe(
      'https://s3.example.com/b/c.json?X-Amz-Signature=abc&X-Amz-Expires=60&page=2',
    )
    expect(buildUrl('https://api.example.com/v1/', '/users', {})).toBe('https://api.example.com/v1/users')
    expect(buildUrl('https://api.example.com/v1', '/users', { limit: 5 })).toBe('https://api.example.com/v1/users?limit=5')
  })
})

describe('$minorUnits', () => {
  it('converts to the smallest unit of an ISO 4217 currency', () => {
    expect(minorUnits(50, 'usd')).toBe(5000)
    expect(minorUnits('12.345', 'EUR')).toBe(1235)
    expect(minorUnits(1000, 'jpy')).toBe(1000)
    expect(minorUnits(1.5, 'KWD')).toBe(1500)
  })

  it('is undefined for credits that are not currencies, and for non-numbers', () => {
    expect(minorUnits(500_000, 'token')).toBeUndefined()
    expect(minorUnits(5, 'tok')).toBeUndefined()
    expect(minorUnits('lots', 'usd')).toBeUndefined()
    expect(minorUnits(null, 'usd')).toBeUndefined()
  })
})

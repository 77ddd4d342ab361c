/**
 * Which URLs unimeter may fetch when the URL comes from data instead of the operator: an
 * account's snapshot URL, a webhook target. They must be https and must not lead into the
 * gateway's own network (loopback, private ranges, link-local cloud metadata…) unless the
 * operator sets UNIMETER_ALLOW_PRIVATE_URLS=true. Names are resolved (DNS on Node) and every
 * address they resolve to must be public; the Node transport repeats the check when it connects,
 * so a name that resolves differently a moment later (DNS rebinding) is still refused.
 */
import type { Settings } from '../config/settings'
import { ApiError, badRequest } from '../lib/http-errors'

/** `public-https`: https, to public addresses only (see assertPublicUrl). */
export type UrlPolicy = 'public-https'

/** All the addresses a host name resolves to. */
type HostResolver = (hostname: string) => Promise<string[]>

interface UrlPolicyOptions {
  /** How the URL is named in error messages, e.g. `context.snapshot_url`. Default "The URL". */
  label?: string
  /** Replaces DNS resolution (tests, runtimes without DNS). */
  resolve?: HostResolver
  /**
   * A URL being saved (a webhook target): a name that does not resolve is the caller's 400
   * `url_not_allowed`, not a 502, since nothing is fetched yet. Default: 502 `remote_unreachable`
   * (a URL fetched now, whose host is down or gone).
   */
  refuseUnresolvable?: boolean
}

type Range = [base: number[], prefixBits: number, kind: string]

// Checked in order; the first match names the kind in the error message.
const V4_RANGES: Range[] = [
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'shared (carrier-grade NAT)'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'benchmarking'],
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
]

// As 16-bit groups. Addresses that embed an IPv4 address (mapped, compatible, translated, NAT64,
// 6to4, Teredo) are checked by that address first (classifyAddress).
const V6_RANGES: Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0], 128, 'unspecified'],
  [[0, 0, 0, 0, 0, 0, 0, 1], 128, 'loopback'],
  [[0x0064, 0xff9b, 0x0001, 0, 0, 0, 0, 0], 48, 'NAT64 local-use'],
  [[0x0100, 0, 0, 0, 0, 0, 0, 0], 64, 'discard'],
  [[0x2001, 0x0002, 0, 0, 0, 0, 0, 0], 48, 'benchmarking'],
  [[0x2001, 0x0db8, 0, 0, 0, 0, 0, 0], 32, 'documentation'],
  [[0x3fff, 0, 0, 0, 0, 0, 0, 0], 20, 'documentation'],
  [[0x5f00, 0, 0, 0, 0, 0, 0, 0], 16, 'segment routing (SRv6)'],
  [[0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, 'private (unique local)'],
  [[0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, 'link-local'],
  [[0xfec0, 0, 0, 0, 0, 0, 0, 0], 10, 'site-local'],
  [[0xff00, 0, 0, 0, 0, 0, 0, 0], 8, 'multicast'],
]

function inRange(parts: number[], base: number[], prefixBits: number, partBits: number): boolean {
  let bits = prefixBits
  for (let i = 0; i < parts.length && bits > 0; i++, bits -= partBits) {
    const take = Math.min(bits, partBits)
    const mask = ((1 << partBits) - 1) ^ ((1 << (partBits - take)) - 1)
    if ((parts[i] & mask) !== (base[i] & mask)) return false
  }
  return true
}

function parseV4(text: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)
  if (!m) return undefined
  const parts = m.slice(1).map(Number)
  return parts.every((p) => p <= 255) ? parts : undefined
}

/** The eight 16-bit groups of an IPv6 literal (brackets, zone and a trailing dotted IPv4 allowed). */
export function parseV6(text: string): number[] | undefined {
  let body = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body)
  if (v4) {
    const p = parseV4(v4[1])
    if (!p) return undefined
    body = `${body.slice(0, -v4[1].length)}${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`
  }
  const halves = body.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const fill = 8 - head.length - tail.length
  if ((halves.length === 1 && fill !== 0) || fill < 0) return undefined
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail]
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined
  return groups.map((g) => parseInt(g, 16))
}

/**
 * Why `address` (an IPv4 or IPv6 literal) is not a public address — 'loopback', 'private',
 * 'link-local'… — or null when it is public. Text that is not an IP address gives null.
 */
export function classifyAddress(address: string): string | null {
  const v4 = parseV4(address)
  if (v4) {
    if (v4.every((p) => p === 255)) return 'broadcast'
    return V4_RANGES.find(([base, bits]) => inRange(v4, base, bits, 8))?.[2] ?? null
  }
  const v6 = parseV6(address)
  if (!v6) return null
  for (const { via, v4 } of embeddedV4(v6)) {
    const kind = classifyAddress(v4)
    if (kind) return via ? `${kind} (${v4} inside ${via})` : kind
  }
  return V6_RANGES.find(([base, bits]) => inRange(v6, base, bits, 16))?.[2] ?? null
}

const dotted = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
const zero = (groups: number[]) => groups.every((g) => g === 0)

/**
 * The IPv4 addresses an IPv6 address carries, and the tunnel (`via`) that would deliver to them:
 * packets reach the IPv4 address, so it must be public too. `via` is empty for the forms that
 * stand for that IPv4 address itself (mapped, compatible, translated, NAT64).
 */
function embeddedV4(g: number[]): Array<{ via: string; v4: string }> {
  // ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (translated, RFC 2765) and ::a.b.c.d (compatible,
  // deprecated; not :: and ::1, which have their own meaning).
  if (zero(g.slice(0, 5)) && g[5] === 0xffff) return [{ via: '', v4: dotted(g[6], g[7]) }]
  if (zero(g.slice(0, 4)) && g[4] === 0xffff && g[5] === 0) return [{ via: '', v4: dotted(g[6], g[7]) }]
  if (zero(g.slice(0, 6)) && (g[6] !== 0 || g[7] > 1)) return [{ via: '', v4: dotted(g[6], g[7]) }]
  // 64:ff9b::a.b.c.d: the well-known NAT64 prefix (RFC 6052) translates to a.b.c.d.
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(g.slice(2, 6))) return [{ via: '', v4: dotted(g[6], g[7]) }]
  // 2002:AABB:CCDD::/48: 6to4 (RFC 3056) tunnels to AA.BB.CC.DD.
  if (g[0] === 0x2002) return [{ via: '6to4', v4: dotted(g[1], g[2]) }]
  // 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC: Teredo (RFC 4380), server in clear, client inverted.
  if (g[0] === 0x2001 && g[1] === 0)
    return [
      { via: 'Teredo', v4: dotted(g[2], g[3]) },
      { via: 'Teredo', v4: dotted(g[6] ^ 0xffff, g[7] ^ 0xffff) },
    ]
  return []
}

function isIpLiteral(hostname: string): boolean {
  return parseV4(hostname) !== undefined || parseV6(hostname) !== undefined
}

let dnsResolver: Promise<HostResolver | undefined> | undefined

/**
 * The module name is computed so the Worker build (wrangler's esbuild, no nodejs_compat) leaves
 * the import alone instead of warning on every build that the Worker may fail: it does not, the
 * import just rejects there and the fallback below applies.
 */
const NODE_DNS = ['node', 'dns'].join(':')

/** DNS through node:dns where the runtime has it; undefined elsewhere (then only literals are checked). */
function defaultResolver(): Promise<HostResolver | undefined> {
  dnsResolver ??= (import(/* @vite-ignore */ NODE_DNS) as Promise<typeof import('node:dns')>)
    .then((dns) => async (hostname: string) => (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address))
    .catch(() => undefined)
  return dnsResolver
}

const HINT = 'set UNIMETER_ALLOW_PRIVATE_URLS=true (operator setting) to allow private addresses'

/**
 * Throws the contract's 400 (`url_not_allowed`, or `invalid_url`) unless `url` may be fetched:
 * https, and every address its host resolves to public — or, with UNIMETER_ALLOW_PRIVATE_URLS,
 * any address (plain http is then accepted for private addresses only, as internal services
 * rarely have certificates). A host that does not resolve gives 502 `remote_unreachable`, or
 * 400 `url_not_allowed` with `refuseUnresolvable` (URLs being saved). Returns the parsed URL.
 */
export async function assertPublicUrl(
  url: string | URL,
  settings: Pick<Settings, 'UNIMETER_ALLOW_PRIVATE_URLS'>,
  options: UrlPolicyOptions = {},
): Promise<URL> {
  const label = options.label ?? 'The URL'
  let parsed: URL
  try {
    parsed = new URL(String(url))
  } catch {
    throw badRequest('invalid_url', `${label} is not a valid absolute URL`)
  }
  // Only the origin is ever shown: the path and query of a presigned URL are a credential.
  const shown = parsed.origin
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw badRequest('url_not_allowed', `${label} must be an https URL, got ${parsed.protocol}`)
  }
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  if (isIpLiteral(hostname)) addresses = [hostname]
  else {
    const resolve = options.resolve ?? (await defaultResolver())
    if (!resolve) {
      // No DNS here (e.g. Workers, whose fetch cannot reach private networks anyway): refuse
      // only the names that always mean "this machine".
      addresses = /^(localhost|.*\.localhost)$/i.test(hostname) ? ['127.0.0.1'] : []
    } else {
      try {
        addresses = await resolve(hostname)
      } catch (err) {
        const why = `${label} (${shown}) could not be resolved: ${(err as Error).message}`
        if (options.refuseUnresolvable) throw badRequest('url_not_allowed', `${why}. Use a host name that resolves to a public address.`)
        throw new ApiError(502, 'remote_unreachable', why)
      }
      if (addresses.length === 0 && options.refuseUnresolvable) {
        throw badRequest(
          'url_not_allowed',
          `${label} (${shown}) resolves to no address. Use a host name that resolves to a public address.`,
        )
      }
    }
  }
  const blocked = addresses.map((a) => [a, classifyAddress(a)] as const).find(([, kind]) => kind !== null)
  if (blocked && !settings.UNIMETER_ALLOW_PRIVATE_URLS) {
    throw badRequest(
      'url_not_allowed',
      `${label} (${shown}) resolves to ${blocked[0]}, a ${blocked[1]} address; unimeter only fetches public https URLs. Use a public https URL, or ${HINT}`,
    )
  }
  if (parsed.protocol !== 'https:' && !blocked) {
    throw badRequest('url_not_allowed', `${label} (${shown}) must use https`)
  }
  return parsed
}

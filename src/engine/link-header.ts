/**
 * RFC 8288 `Link` headers (GitHub's pagination: `<…?page=2>; rel="next", <…?page=9>; rel="last"`)
 * and the rule for following one: a link is only followed when it stays under the connector's
 * base URL, because the engine sends the account's credentials with every request it makes.
 */
import { ApiError } from '../lib/http-errors'

interface LinkValue {
  /** The target as written between `<` and `>` (may be relative). */
  target: string
  /** Relation types, lower-cased (`rel="next last"` gives two). */
  rels: string[]
}

/** Every link of a header value; malformed parts are skipped, never guessed at. */
export function parseLinkHeader(value: string | undefined): LinkValue[] {
  const links: LinkValue[] = []
  if (!value) return links
  let i = 0
  while (i < value.length) {
    const open = value.indexOf('<', i)
    if (open === -1) break
    const close = value.indexOf('>', open + 1)
    if (close === -1) break
    // The parameters run to the next comma outside a quoted string (a URL may hold commas, but
    // only inside the angle brackets, which are already behind us).
    let end = close + 1
    let quoted = false
    while (end < value.length && (quoted || value[end] !== ',')) {
      if (value[end] === '\\' && quoted) end++
      else if (value[end] === '"') quoted = !quoted
      end++
    }
    // Only the first rel parameter counts (RFC 8288 §3.3).
    const rel = linkParams(value.slice(close + 1, end)).find((p) => p.name === 'rel')
    const rels = rel ? rel.value.toLowerCase().split(/\s+/).filter(Boolean) : []
    links.push({ target: value.slice(open + 1, close).trim(), rels })
    i = end + 1
  }
  return links
}

/** `; name=value; name="quoted; value"` → its parameters in order (names lower-cased). */
function linkParams(text: string): Array<{ name: string; value: string }> {
  const params: Array<{ name: string; value: string }> = []
  const param = /;\s*([^\s=;"]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]*)))?\s*/gy
  let m: RegExpExecArray | null
  const body = text.trim()
  while ((m = param.exec(body)) !== null) {
    params.push({ name: m[1].toLowerCase(), value: m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '') })
  }
  return params
}

/** The target of the first link with relation `rel`, or undefined. */
export function findLink(value: string | undefined, rel: string): string | undefined {
  const wanted = rel.toLowerCase()
  return parseLinkHeader(value).find((l) => l.rels.includes(wanted))?.target
}

const refused = (why: string) =>
  new ApiError(
    502,
    'invalid_remote_response',
    `The vendor's next-page link ${why}; unimeter only follows links under the connector's base URL.`,
    {
      remote: { rawResponse: null },
    },
  )

/**
 * The absolute URL of `target` (resolved against the URL of the request that returned it),
 * provided it is under `baseUrl`: same scheme, host and port, a path inside the base path, and
 * no credentials of its own. Anything else is refused with a 502.
 */
export function resolveLinkUnderBase(target: string, requestUrl: string, baseUrl: string): string {
  let url: URL
  let base: URL
  try {
    base = new URL(baseUrl)
    url = new URL(target, URL.canParse(requestUrl) ? requestUrl : baseUrl)
  } catch {
    throw refused('is not a URL')
  }
  if (url.origin !== base.origin) throw refused(`points at another host (${url.protocol}//${url.host})`)
  if (url.username || url.password) throw refused('carries credentials')
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`
  if (!`${url.pathname}/`.startsWith(basePath)) throw refused(`leaves the base path ${base.pathname}`)
  url.hash = ''
  return url.toString()
}

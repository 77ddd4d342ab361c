/**
 * Query validation in Anthropic's words. The API validates with pydantic, so its messages read
 * `<field>: Input should be ...`; a client only needs the 400 and the error type, but matching the
 * wording keeps logs and snapshots honest.
 */
export class BadRequest extends Error {}

/** `limit` in [1, max], default `fallback`. */
export function parseLimit(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit')
  if (raw === null) return fallback
  if (!/^-?\d+$/.test(raw.trim())) throw new BadRequest('limit: Input should be a valid integer, unable to parse string as an integer')
  const limit = Number(raw)
  if (limit < 1) throw new BadRequest('limit: Input should be greater than or equal to 1')
  if (limit > max) throw new BadRequest(`limit: Input should be less than or equal to ${max}`)
  return limit
}

/** Every value of an array parameter, however the client spelled it: `roles[]=a`, `roles=a`, `roles[0]=a`. */
export function arrayParam(query: URLSearchParams, name: string): string[] {
  const out: string[] = []
  for (const [key, value] of query) {
    if (key === name || key === `${name}[]` || new RegExp(`^${name}\\[\\d+\\]$`).test(key)) out.push(value)
  }
  return out
}

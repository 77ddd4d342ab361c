/**
 * Query validation in OpenAI's words: `Invalid '<param>': ...` with `param` and `code` set, as
 * the API answers a bad `limit`.
 */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message)
  }
}

/** `limit` in [1, max], default `fallback`. */
export function parseLimit(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit')
  if (raw === null) return fallback
  if (!/^-?\d+$/.test(raw.trim()))
    throw new BadRequest(`Invalid 'limit': expected an integer, but got '${raw}' instead.`, 'limit', 'invalid_type')
  const limit = Number(raw)
  if (limit < 1)
    throw new BadRequest(
      `Invalid 'limit': integer below minimum value. Expected a value >= 1, but got ${limit} instead.`,
      'limit',
      'integer_below_min_value',
    )
  if (limit > max)
    throw new BadRequest(
      `Invalid 'limit': integer above maximum value. Expected a value <= ${max}, but got ${limit} instead.`,
      'limit',
      'integer_above_max_value',
    )
  return limit
}

/** Every value of an array parameter, however the client spelled it: `emails[]=a`, `emails=a`, `emails[0]=a`. */
export function arrayParam(query: URLSearchParams, name: string): string[] {
  const out: string[] = []
  for (const [key, value] of query) {
    if (key === name || key === `${name}[]` || new RegExp(`^${name}\\[\\d+\\]$`).test(key)) out.push(value)
  }
  return out
}

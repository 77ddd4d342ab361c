/**
 * Key/value arguments: `-q k=v,k2=v2` (repeatable; keys may use brackets such as
 * remote_query[foo]=bar, parsed like the gateway parses query strings) and `--…-json '{…}'`.
 */
import qs from 'qs'
import { UsageError } from '../errors'

/** commander collector for repeatable options. */
export const collect = (value: string, previous: string[] = []) => [...previous, value]

/** `k=v,k2=v2` (any number of times) → an object, with qs bracket semantics for the keys. */
export function parsePairs(values: string[] | undefined, flag: string): Record<string, unknown> {
  const parts: string[] = []
  for (const value of values ?? []) {
    for (const pair of value.split(',')) {
      if (pair.trim() === '') continue
      const eq = pair.indexOf('=')
      if (eq <= 0) {
        throw new UsageError(
          `${flag} expects key=value pairs, got "${pair}"`,
          `e.g. ${flag} date=2026-01-31,limit=10 (values with commas: use the -json form)`,
        )
      }
      parts.push(
        `${encodeURIComponent(pair.slice(0, eq).trim()).replace(/%5B/gi, '[').replace(/%5D/gi, ']')}=${encodeURIComponent(pair.slice(eq + 1))}`,
      )
    }
  }
  return qs.parse(parts.join('&'), { depth: 5, arrayLimit: 100 }) as Record<string, unknown>
}

/** A JSON object option; anything else is a usage error naming the flag. */
export function parseJsonObject(text: string | undefined, flag: string): Record<string, unknown> {
  if (text === undefined) return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new UsageError(
      `${flag} is not valid JSON: ${(err as Error).message}`,
      `quote it for the shell, e.g. ${flag} '{"date":"2026-01-31"}'`,
    )
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`${flag} must be a JSON object`, `e.g. ${flag} '{"key":"value"}'`)
  return value as Record<string, unknown>
}

/** A positive whole number option. */
export function parsePositiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got "${text}"`)
  return n
}

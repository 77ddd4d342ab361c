/**
 * Query strings of plain `key=value` pairs skip qs (src/unified/query.ts, plainQuery): whatever
 * the string, parseQueryString must give what qs gives (the same keys in the same order, the same
 * values, a prototype-less object) or refuse it the same way. Strings are built from the
 * characters that change how qs reads a query (percent escapes, brackets, `+`, `&`, `=`, a
 * leading `?`) and the keys that are special to objects, so both paths are exercised.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_QUERY_PARAMETERS } from '../../src/routes/query-limit'
import { parseQueryString, parseWithQs } from '../../src/unified/query'

const token = fc.constantFrom(
  'a',
  'b',
  'limit',
  '0',
  '1',
  '_',
  '-',
  '.',
  '~',
  '__proto__',
  'constructor',
  'toString',
  '%20',
  '%5B',
  '%41',
  '%',
  '[',
  ']',
  '[]',
  '+',
  '?',
  '=',
  '&',
  'é',
)
const plainToken = fc.constantFrom('a', 'b', 'limit', '0', '_', '-', '.', '~', '__proto__', 'constructor', 'toString')
const query = fc.array(token, { maxLength: 24 }).map((parts) => parts.join(''))
const pairsOf = (t: fc.Arbitrary<string>) =>
  fc
    .array(fc.tuple(fc.array(t, { minLength: 1, maxLength: 4 }), fc.array(t, { maxLength: 4 })), { maxLength: 8 })
    .map((list) => list.map(([k, v]) => `${k.join('')}=${v.join('')}`).join('&'))

/**
 * A parse as plain data: every object's prototype (none, or Object's) and its own keys in order.
 * (Compared as it is, an own `constructor` key would make two equal objects look like two types.)
 */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return { array: value.map(shape) }
  if (value === null || typeof value !== 'object') return value
  const proto = Object.getPrototypeOf(value) === null ? 'none' : Object.getPrototypeOf(value) === Object.prototype ? 'Object' : 'other'
  return { proto, entries: Reflect.ownKeys(value).map((k) => [String(k), shape((value as Record<string | symbol, unknown>)[k])]) }
}

function outcome(parse: (s: string) => Record<string, unknown>, search: string): unknown {
  try {
    return { value: shape(parse(search)) }
  } catch (err) {
    return { error: (err as Error).message }
  }
}

describe('plain query strings read without qs', () => {
  it('read as qs reads them, whatever the string', () => {
    fc.assert(
      fc.property(fc.oneof(query, pairsOf(token), pairsOf(plainToken)), fc.boolean(), (search, prefixed) => {
        const s = prefixed ? `?${search}` : search
        expect(outcome(parseQueryString, s)).toEqual(outcome(parseWithQs, s))
      }),
      { numRuns: 3000 },
    )
  })

  it('read as qs reads them at the parameter limit and past it', () => {
    for (const n of [MAX_QUERY_PARAMETERS, MAX_QUERY_PARAMETERS + 1]) {
      const s = Array.from({ length: n }, (_, i) => `k${i}=${i}`).join('&')
      expect(outcome(parseQueryString, s)).toEqual(outcome(parseWithQs, s))
    }
  })

  it('a unified list query is one of them', () => {
    const parsed = parseQueryString('integrated_account_id=0b6c2d8e-5f1a-4c34&limit=100&next_cursor=eyJ2Ijo_x-1~.')
    expect(Object.getPrototypeOf(parsed)).toBe(null)
    expect({ ...parsed }).toEqual({ integrated_account_id: '0b6c2d8e-5f1a-4c34', limit: '100', next_cursor: 'eyJ2Ijo_x-1~.' })
  })
})

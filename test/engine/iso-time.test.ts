/**
 * `$toIso` reads and writes timestamps without Date where it can (src/engine/mapping/iso-time.ts):
 * every answer must be the Date built-ins' own, on seeded random instants and on strings near the
 * ISO grammar (where the strict reader must either agree with Date.parse or step aside).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toIso } from '../../src/engine/mapping/functions'
import { formatIso, isoUtcText, parseIsoStrict } from '../../src/engine/mapping/iso-time'

/** `$toIso` as written before the fast paths: Date.parse and toISOString only. */
function dateToIso(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  let ms: number
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))) {
    const n = Number(value)
    ms = n < 1e11 ? n * 1000 : n
  } else if (typeof value === 'string') ms = Date.parse(value)
  else return undefined
  if (!Number.isFinite(ms)) return undefined
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

const YEAR_0 = -62_167_219_200_000
const YEAR_10000 = 253_402_300_800_000

const two = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((n) => String(n).padStart(2, '0'))
/** Strings in and around the strict grammar: out-of-range fields, odd separators, zones, fractions. */
const nearIso = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
      fc.constantFrom('+002024', '20245', '202'),
    ),
    two(0, 13),
    two(0, 32),
    fc.constantFrom('T', 't', ' ', ''),
    two(0, 25),
    two(0, 61),
    two(0, 61),
    fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{0,12}$/), fc.constant(',5')),
    fc.oneof(
      fc.constantFrom('Z', 'z', '', '+00:00', '-06:00', '+0600', '+24:00', '+23:59', '-00:60'),
      fc.tuple(fc.constantFrom('+', '-'), two(0, 24), two(0, 60)).map(([s, h, m]) => `${s}${h}:${m}`),
    ),
    fc.constantFrom('full', 'date', 'minutes'),
  )
  .map(([y, mo, d, t, h, mi, s, frac, zone, form]) =>
    form === 'date'
      ? `${y}-${mo}-${d}`
      : form === 'minutes'
        ? `${y}-${mo}-${d}${t}${h}:${mi}${zone}`
        : `${y}-${mo}-${d}${t}${h}:${mi}:${s}${frac}${zone}`,
  )

describe('ISO timestamps without Date', () => {
  it("formatIso is toISOString's answer for every instant of the years 0 to 9999", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: YEAR_0, max: YEAR_10000 - 1 }), fc.double({ min: YEAR_0, max: YEAR_10000 - 1, noNaN: true })),
        (ms) => {
          expect(formatIso(ms)).toBe(new Date(ms).toISOString())
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('formatIso steps aside outside those years and for no number', () => {
    for (const ms of [YEAR_0 - 1, YEAR_10000, 8.64e15, Number.NaN, Number.POSITIVE_INFINITY]) expect(formatIso(ms)).toBeUndefined()
    expect(formatIso(YEAR_0)).toBe('0000-01-01T00:00:00.000Z')
    expect(formatIso(YEAR_10000 - 1)).toBe('9999-12-31T23:59:59.999Z')
    expect(formatIso(-0.5)).toBe(new Date(-0.5).toISOString())
  })

  it('parseIsoStrict agrees with Date.parse or steps aside, on strings near the grammar', () => {
    let read = 0
    fc.assert(
      fc.property(nearIso, (s) => {
        const ms = parseIsoStrict(s)
        if (ms !== undefined) {
          read++
          expect(ms, s).toBe(Date.parse(s))
        }
      }),
      { numRuns: 5000 },
    )
    // Both outcomes happen: the property is not vacuous.
    expect(read).toBeGreaterThan(100)
    expect(read).toBeLessThan(5000)
  })

  it("isoUtcText is the Date built-ins' text, or steps aside, on strings near the grammar", () => {
    let written = 0
    fc.assert(
      fc.property(nearIso, (s) => {
        const text = isoUtcText(s)
        if (text !== undefined) {
          written++
          expect(text, s).toBe(new Date(Date.parse(s)).toISOString())
        }
        // It reads every strict form in UTC (the rest goes the slower way, through a number).
        const utc = s.length === 10 || s.endsWith('Z')
        expect(text !== undefined, s).toBe(utc && parseIsoStrict(s) !== undefined)
      }),
      { numRuns: 5000 },
    )
    expect(written).toBeGreaterThan(100)
    expect(isoUtcText('2025-01-15T10:30:00.123Z')).toBe('2025-01-15T10:30:00.123Z')
    expect(isoUtcText('2025-01-15T10:30:00-06:00')).toBeUndefined()
  })

  it('parseIsoStrict reads the forms vendors send', () => {
    expect(parseIsoStrict('2024-02-29')).toBe(Date.parse('2024-02-29'))
    expect(parseIsoStrict('2025-01-15T10:30:00.123456Z')).toBe(Date.parse('2025-01-15T10:30:00.123Z'))
    expect(parseIsoStrict('2025-01-15T23:30:00-06:00')).toBe(Date.parse('2025-01-16T05:30:00Z'))
    // Lenient forms stay with Date.parse.
    for (const s of [
      '2024-02-30',
      '2024-01-01T24:00:00Z',
      '2024-01-15t10:30:00Z',
      '2024-01-15T10:30Z',
      '20240115',
      '2024-01-15T10:30:00+0600',
    ])
      expect(parseIsoStrict(s), s).toBeUndefined()
  })

  it('$toIso gives what Date gives, for timestamps and for anything else', () => {
    const value = fc.oneof(
      nearIso,
      fc.integer({ min: -1e13, max: 1e13 }),
      fc.double(),
      fc.stringMatching(/^\d{1,14}(\.\d{0,4})?$/),
      fc.string({ maxLength: 12 }),
      fc.constantFrom(undefined, null, '', true, {}, []),
    )
    fc.assert(
      fc.property(value, (v) => {
        expect(toIso(v)).toBe(dateToIso(v))
      }),
      { numRuns: 5000 },
    )
  })
})

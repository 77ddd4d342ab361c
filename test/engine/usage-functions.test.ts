/** Mapping functions of usage rows: exact money amounts and stable ids. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileExpression, evaluateExpression } from '../../src/engine/mapping/mapping-engine'
import { minorAmount } from '../../src/engine/mapping/functions'
import { shiftDecimal } from '../../src/engine/mapping/decimal-text'
import { stableId } from '../../src/engine/mapping/stable-id'

const run = (expr: string, input: Record<string, unknown>) => evaluateExpression(compileExpression(expr), input)

describe('$minorAmount: vendor decimals without float drift', () => {
  it.each([
    // [value, given, currency, expected]
    ['123.45', 'minor', undefined, 123.45],
    [123.45, 'minor', 'USD', 123.45],
    ['0.07', 'major', 'USD', 7],
    [0.07, 'major', 'usd', 7],
    ['1.1', 'major', 'USD', 110],
    [0.29, 'major', 'USD', 29],
    ['0.0000105', 'major', 'USD', 0.00105],
    [1.2e-7, 'major', 'USD', 0.000012],
    ['-4.20', 'major', 'USD', -420],
    ['500', 'major', 'JPY', 500],
    ['1.234', 'major', 'KWD', 1234],
    [' 12 ', 'minor', undefined, 12],
  ])('%j given in %s units of %s is %d minor units', (value, given, currency, expected) => {
    expect(minorAmount(value, given, currency)).toBe(expected)
  })

  it('naive float arithmetic would drift on the same inputs', () => {
    expect(0.07 * 100).not.toBe(7)
    expect(1.1 * 100).not.toBe(110)
    expect(0.29 * 100).not.toBe(29)
  })

  it.each([
    ['abc', 'minor', undefined],
    ['', 'minor', undefined],
    ['.', 'minor', undefined],
    ['1,5', 'minor', undefined],
    [null, 'minor', undefined],
    [Number.NaN, 'minor', undefined],
    ['12', 'major', undefined],
    ['12', 'major', 'XYZ'],
    ['12', 'dollars', 'USD'],
    ['1e99999', 'minor', undefined],
  ])('%j (%s, %s) is not an amount', (value, given, currency) => {
    expect(minorAmount(value, given, currency)).toBeUndefined()
  })

  it('any two-place dollar text reads as the exact cents (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (cents) => {
        const text = `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`
        expect(minorAmount(text, 'major', 'USD')).toBe(cents === 0 ? 0 : cents)
        expect(minorAmount(Number(text), 'major', 'USD')).toBe(cents === 0 ? 0 : cents)
      }),
    )
  })

  it('shifts both ways', () => {
    expect(shiftDecimal('123.45', -2)).toBe(1.2345)
    expect(shiftDecimal('1.5e2', 1)).toBe(1500)
  })

  it('is callable from a mapping', async () => {
    const out = await run('$minorAmount(amount.value, "major", amount.currency)', { amount: { value: '0.07', currency: 'usd' } })
    expect(out).toBe(7)
  })
})

describe('$stableId', () => {
  it('the same dimensions give the same id, in any key order; any change gives another', () => {
    const a = stableId('cc', { day: '2026-11-01', user: 'ada@example.com', model: 'm1' })
    expect(stableId('cc', { model: 'm1', user: 'ada@example.com', day: '2026-11-01' })).toBe(a)
    expect(a).toMatch(/^cc_[0-9a-f]{16}$/)
    expect(stableId('cc', { day: '2026-11-02', user: 'ada@example.com', model: 'm1' })).not.toBe(a)
    expect(stableId('cx', { day: '2026-11-01', user: 'ada@example.com', model: 'm1' })).not.toBe(a)
    // A missing dimension is told apart from another missing one.
    expect(stableId('cc', { day: 'd', user: 'x' })).not.toBe(stableId('cc', { day: 'd', model: 'x' }))
  })

  it('has no collisions over many distinct buckets (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.string(), fc.string()), { minLength: 200 }), (rows) => {
        const ids = new Set(rows.map(([d, u, m]) => stableId('u', { d, u, m })))
        expect(ids.size).toBe(rows.length)
      }),
      { numRuns: 20 },
    )
  })

  it('is callable from a mapping', async () => {
    const out = await run('$stableId("cc", {"day": d, "user": u})', { d: '2026-11-01', u: 'a' })
    expect(out).toBe(stableId('cc', { day: '2026-11-01', user: 'a' }))
  })
})

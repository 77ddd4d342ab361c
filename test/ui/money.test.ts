/**
 * The console's amounts: minor units (numbers or exact decimal text) shown in major units with
 * their currency, the decimal point moved in the text so no digit is lost or invented.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatMoney, minorDigits, shiftDecimal } from '../../src/ui/browser/money'

describe('money', () => {
  it('shows minor units as major units with the currency’s own decimals', () => {
    expect(formatMoney(20634, 'USD')).toBe('206.34 USD')
    expect(formatMoney('1234.5', 'EUR')).toBe('12.345 EUR')
    expect(formatMoney(-123456789, 'EUR')).toBe('-1,234,567.89 EUR')
    expect(formatMoney(0, 'USD')).toBe('0.00 USD')
    expect(formatMoney('-0.00', 'USD')).toBe('0.00 USD')
    expect(formatMoney(1200, 'JPY')).toBe('1,200 JPY')
    expect(formatMoney(12345, 'KWD')).toBe('12.345 KWD')
    // No currency: no minor unit is guessed either.
    expect(formatMoney(12, null)).toBe('12 (no currency)')
    expect(formatMoney('0.30000000000000001', 'USD')).toBe('0.0030000000000000001 USD')
    expect(formatMoney(1e-7, 'USD')).toBe('0.000000001 USD')
    expect(formatMoney('abc', 'USD')).toBe('abc USD')
    expect(minorDigits('not a currency')).toBe(2)
  })

  it('moves the point exactly: text in, the same digits out', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 6 }), (n, digits) => {
        const scale = 10n ** BigInt(digits)
        const abs = n < 0n ? -n : n
        const frac = (abs % scale).toString().padStart(digits, '0').replace(/0+$/, '')
        const expected = `${n < 0n ? '-' : ''}${abs / scale}${frac ? `.${frac}` : ''}`
        expect(shiftDecimal(n.toString(), digits)).toBe(expected)
      }),
    )
  })
})

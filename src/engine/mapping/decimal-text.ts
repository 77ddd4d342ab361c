/**
 * Decimal amounts read exactly. Vendors send money as text ("123.45", "0.0000105") or as JSON
 * numbers; converting units by multiplying floats drifts (0.07 × 100 = 7.000000000000001), so the
 * decimal point is moved in the text and the result parsed once, which JavaScript rounds to the
 * nearest double: the best any number can hold.
 */

const DECIMAL = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?\s*$/

/**
 * `value` (a number, or a decimal text with optional sign, fraction and exponent) times
 * 10^`places`, or undefined when `value` is not a finite decimal.
 */
export function shiftDecimal(value: unknown, places: number): number | undefined {
  let text: string
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined
    // String(n) of a double is the shortest text that reads back as n: exact input for the shift.
    text = String(value)
  } else if (typeof value === 'string') text = value
  else return undefined
  const m = DECIMAL.exec(text)
  if (!m) return undefined
  const [, sign, whole, fraction = '', exponent = '0'] = m
  if (whole === '' && fraction === '') return undefined
  const n = Number(`${sign}${whole}${fraction}e${Number(exponent) - fraction.length + places}`)
  return Number.isFinite(n) ? n : undefined
}

/**
 * Charge amounts as the console shows them. The API's amounts are in minor units (cents), as
 * numbers or, where a sum must keep every digit, as decimal text; the console shows major units
 * with the currency code, shifting the decimal point in the text itself so no digit is lost to
 * floating point. An amount without a currency is shown as the API gave it: no currency, and so no
 * minor unit, is guessed. Pure functions: the browser tests format the API's numbers with them.
 */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i

/** Digits after the point in a currency's major unit (2 for USD and EUR, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: string | null): number {
  if (!currency) return 0
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    // Not an ISO 4217 code the browser knows: cents are the common case.
    return 2
  }
}

/** `amount` (minor units) divided by 10^digits, exactly, as decimal text; null if it is not a number. */
export function shiftDecimal(amount: number | string, digits: number): string | null {
  const text = typeof amount === 'number' ? (Number.isFinite(amount) ? String(amount) : '') : amount.trim()
  const m = DECIMAL.exec(text)
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null
  const [, sign, whole, fraction = '', exp = '0'] = m
  const all = `${whole}${fraction}`
  const point = whole.length + Number(exp) - digits
  const padded = point < 0 ? `${'0'.repeat(-point)}${all}` : point > all.length ? `${all}${'0'.repeat(point - all.length)}` : all
  const at = Math.max(point, 0)
  const int = padded.slice(0, at).replace(/^0+(?=\d)/, '') || '0'
  const frac = padded.slice(at).replace(/0+$/, '')
  const zero = /^0*$/.test(int + frac)
  return `${sign === '-' && !zero ? '-' : ''}${int}${frac ? `.${frac}` : ''}`
}

/** The major-unit amount with at least the currency's own decimals and thousands separators. */
export function formatMoney(amount: number | string, currency: string | null): string {
  const digits = minorDigits(currency)
  const major = shiftDecimal(amount, digits)
  if (major === null) return `${String(amount)} ${currency ?? ''}`.trim()
  const [int, frac = ''] = major.split('.')
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const decimals = frac.padEnd(digits, '0')
  return `${grouped}${decimals ? `.${decimals}` : ''} ${currency ?? '(no currency)'}`
}

/** The major-unit amount as a number, for drawing only (never for a total shown as text). */
export function majorValue(amount: number | string, currency: string | null): number {
  return Number(shiftDecimal(amount, minorDigits(currency)) ?? 0)
}

/**
 * Exact sums of money amounts. Adding doubles drifts (0.1 + 0.2 is 0.30000000000000004, and a
 * month of per-user buckets adds thousands of them), so every amount is read as a decimal —
 * from a vendor's string as written, from a number by its shortest round-trip text — and
 * summed as a scaled integer. The result is rounded once, when it is written out.
 */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i

/** A decimal as `digits × 10^-scale`. */
interface Scaled {
  digits: bigint
  scale: number
}

/** Beyond this many fraction digits an amount is not money; refusing keeps the integers small. */
const MAX_SCALE = 30

function parseDecimal(value: number | string): Scaled | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined
  const text = typeof value === 'number' ? String(value) : value.trim()
  const m = DECIMAL.exec(text)
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined
  const fraction = m[3] ?? ''
  const exponent = m[4] ? Number(m[4]) : 0
  let scale = fraction.length - exponent
  let digits = BigInt(`${m[2]}${fraction}` || '0')
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale)
    scale = 0
  }
  if (scale > MAX_SCALE) return undefined
  return { digits: m[1] === '-' ? -digits : digits, scale }
}

export class DecimalSum {
  private digits = 0n
  private scale = 0
  /** Whether any amount came as text: the total is then written as text too. */
  private sawText = false
  count = 0

  /** Adds an amount; false (and nothing added) when it is not a decimal number. */
  add(value: unknown): boolean {
    if (typeof value !== 'number' && typeof value !== 'string') return false
    const parsed = parseDecimal(value)
    if (!parsed) return false
    if (parsed.scale > this.scale) {
      this.digits *= 10n ** BigInt(parsed.scale - this.scale)
      this.scale = parsed.scale
    }
    this.digits += parsed.digits * 10n ** BigInt(this.scale - parsed.scale)
    if (typeof value === 'string') this.sawText = true
    this.count++
    return true
  }

  /** The exact total as a plain decimal string, without trailing fraction zeros. */
  toString(): string {
    const negative = this.digits < 0n
    const abs = (negative ? -this.digits : this.digits).toString().padStart(this.scale + 1, '0')
    const whole = abs.slice(0, abs.length - this.scale)
    const fraction = abs.slice(abs.length - this.scale).replace(/0+$/, '')
    const text = fraction ? `${whole}.${fraction}` : whole
    return negative && text !== '0' ? `-${text}` : text
  }

  /** The total in the amounts' own JSON type: text when any came as text, else the nearest number. */
  value(): number | string {
    return this.sawText ? this.toString() : Number(this.toString())
  }
}

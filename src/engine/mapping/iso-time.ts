/**
 * `Date.parse` and `Date#toISOString` without a Date, for the timestamps vendors send: on Node 20
 * a `toISOString` costs microseconds (more than the rest of a mapped record), and `$toIso` runs
 * once or twice per record. Each function here answers only where its answer is certainly what
 * the Date built-ins give, and says undefined otherwise, so the caller asks them instead.
 */

const MS_PER_DAY = 86_400_000
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the years toISOString writes with 4 digits. */
const FIRST_MS = -62_167_219_200_000
const LAST_MS = 253_402_300_799_999

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`)
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`)
const pad4 = (n: number) => (n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`)

/**
 * What `new Date(ms).toISOString()` gives, for an instant between the years 0 and 9999 (a Date
 * drops the fraction of a millisecond, toward zero); undefined outside them or for no number.
 */
export function formatIso(ms: number): string | undefined {
  if (!(ms >= FIRST_MS && ms <= LAST_MS)) return undefined
  const t = Math.trunc(ms)
  let z = Math.floor(t / MS_PER_DAY)
  const inDay = t - z * MS_PER_DAY
  // civil_from_days
  z += 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  const h = Math.floor(inDay / 3_600_000)
  const mi = Math.floor((inDay % 3_600_000) / 60_000)
  const s = Math.floor((inDay % 60_000) / 1000)
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}.${pad3(inDay % 1000)}Z`
}

/** The number of `count` ASCII digits at `at` in `s`, or -1. */
function digits(s: string, at: number, count: number): number {
  let n = 0
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Days since 1970-01-01 of the `YYYY-MM-DD` that `s` starts with; undefined when it is no real calendar day. */
function leadingDate(s: string): number | undefined {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined
  const year = digits(s, 0, 4)
  const month = digits(s, 5, 2)
  const day = digits(s, 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1) return undefined
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1])) return undefined
  return daysFromCivil(year, month, day)
}

/**
 * What `Date.parse(s)` gives for the strict ISO forms `YYYY-MM-DD` and
 * `YYYY-MM-DDTHH:MM:SS[.f…]` ending in `Z` or `±HH:MM` (1 to 9 fraction digits, a real calendar
 * day, hours below 24); undefined for anything else (`Date.parse` then decides, leniently).
 */
export function parseIsoStrict(s: string): number | undefined {
  const len = s.length
  const days = leadingDate(s)
  if (days === undefined) return undefined
  const date = days * MS_PER_DAY
  // A date alone is UTC midnight.
  if (len === 10) return date
  if (len < 20 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined
  const h = digits(s, 11, 2)
  const mi = digits(s, 14, 2)
  const sec = digits(s, 17, 2)
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined
  let at = 19
  let ms = 0
  if (s.charCodeAt(at) === 46) {
    let n = 0
    while (n < 9 && at + 1 + n < len && digits(s, at + 1 + n, 1) >= 0) n++
    if (n === 0) return undefined
    // Milliseconds are the first three digits; the rest is dropped, not rounded.
    for (let i = 0; i < 3; i++) ms = ms * 10 + (i < n ? s.charCodeAt(at + 1 + i) - 48 : 0)
    at += 1 + n
  }
  let offset = 0
  const zone = s.charCodeAt(at)
  if (zone === 90 && at + 1 === len) offset = 0
  else if ((zone === 43 || zone === 45) && at + 6 === len && s.charCodeAt(at + 3) === 58) {
    const oh = digits(s, at + 1, 2)
    const om = digits(s, at + 4, 2)
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined
    offset = (zone === 43 ? 1 : -1) * (oh * 60 + om) * 60_000
  } else return undefined
  return date + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms - offset
}

/** Whether `s[at…at+1]` are two ASCII digits making a number no greater than `max`. */
function twoDigitsUpTo(s: string, at: number, max: number): boolean {
  const a = s.charCodeAt(at) - 48
  const b = s.charCodeAt(at + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 && a * 10 + b <= max
}

/**
 * Whether `s` is one of the strict forms parseIsoStrict reads that are in UTC (`YYYY-MM-DD`, or
 * `YYYY-MM-DDTHH:MM:SS[.f…]Z`): the same checks, without working out the instant, which isoUtcText
 * does not need.
 */
function isStrictUtc(s: string): boolean {
  const len = s.length
  // An offset (`…-06:00`) is told by its last character, before anything is read.
  if (len !== 10 && s.charCodeAt(len - 1) !== 90) return false
  if (leadingDate(s) === undefined) return false
  if (len === 10) return true
  if (len < 20 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false
  if (!twoDigitsUpTo(s, 11, 23) || !twoDigitsUpTo(s, 14, 59) || !twoDigitsUpTo(s, 17, 59)) return false
  if (len === 20) return s.charCodeAt(19) === 90
  // `.f…Z`: 1 to 9 fraction digits between index 20 and the Z.
  if (s.charCodeAt(19) !== 46 || len > 30 || len < 22 || s.charCodeAt(len - 1) !== 90) return false
  for (let i = 20; i < len - 1; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return false
  }
  return true
}

/**
 * What `new Date(Date.parse(s)).toISOString()` gives for the strict forms in UTC (`YYYY-MM-DD`,
 * or ending in `Z`), written from the text itself: the date and time as they are, milliseconds
 * padded or cut to three digits (often `s` itself). Undefined for anything else.
 */
export function isoUtcText(s: string): string | undefined {
  if (!isStrictUtc(s)) return undefined
  const len = s.length
  if (len === 10) return `${s}T00:00:00.000Z`
  if (len === 20) return `${s.slice(0, 19)}.000Z`
  // `….f…Z`: the fraction's digits sit between index 20 and the Z.
  const fraction = len - 21
  if (fraction === 3) return s
  return fraction > 3 ? `${s.slice(0, 23)}Z` : `${s.slice(0, len - 1)}${fraction === 1 ? '00' : '0'}Z`
}

/**
 * Extra JSONata functions available to every mapping. They follow the names of Truto's
 * extensions where one exists ($firstNonEmpty, $removeEmpty, $keyBy) so mappings read alike.
 */
import { calendarShift, utcDate } from './calendar'
import { shiftDecimal } from './decimal-text'
import { formatIso, isoUtcText, parseIsoStrict } from './iso-time'
import { stableId } from './stable-id'

/**
 * JSONata hands a one-item sequence over as the item itself (`sideload.rows[filter]` matching
 * one row is an object): functions taking a list take that single object as a list of one.
 */
function asList(items: unknown): unknown[] {
  if (Array.isArray(items)) return items
  return items !== null && typeof items === 'object' ? [items] : []
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
}

/** The first argument that is not undefined, null, '' or []. */
export function firstNonEmpty(...values: unknown[]): unknown {
  for (const v of values) if (!isEmpty(v)) return v
  return undefined
}

/** A copy of an object without its null/undefined/'' fields. */
export function removeEmpty(obj: unknown): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return obj
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) if (!isEmpty(v)) out[k] = v
  return out
}

/**
 * Any timestamp to ISO-8601 UTC: unix seconds, epoch milliseconds (numbers or digit strings),
 * RFC 3339 / ISO strings, or `YYYY-MM-DD`. Unparseable values give undefined.
 */
export function toIso(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  // The strict ISO forms vendors send are read without Date (no digit string is one): in UTC the
  // answer is the text itself, normalized.
  const utc = typeof value === 'string' ? isoUtcText(value) : undefined
  if (utc !== undefined) return utc
  let ms = typeof value === 'string' ? parseIsoStrict(value) : undefined
  if (ms !== undefined) {
    // read above
  } else if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))) {
    const n = Number(value)
    // Below 1e11 a number is seconds (that is year 5138 in ms; year 1973 in s).
    ms = n < 1e11 ? n * 1000 : n
  } else if (typeof value === 'string') {
    ms = Date.parse(value)
  } else return undefined
  if (!Number.isFinite(ms)) return undefined
  const fast = formatIso(ms)
  if (fast !== undefined) return fast
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

/**
 * The instant `days` days after `value` (anything toIso reads), ISO-8601 UTC: the exclusive end
 * of a bucket a vendor gives only the start of. Undefined when `value` is not a timestamp.
 */
export function plusDays(value: unknown, days: unknown): string | undefined {
  const start = toIso(value)
  if (start === undefined || typeof days !== 'number' || !Number.isFinite(days)) return undefined
  return new Date(Date.parse(start) + days * 86_400_000).toISOString()
}

/** `YYYY-MM-DD` (UTC) of `days` days before now. */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)
}

/** Reads a dotted path (`actor.email_address`), split once rather than once per item. */
function pathReader(path: string): (obj: unknown) => unknown {
  const parts = path.split('.')
  return (obj) => {
    let cur = obj
    for (const part of parts) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined
    return cur
  }
}

/**
 * `{ 'actor.type': 'user_actor' }` → keeps items whose value at every path is exactly (===) the one
 * given; `{ 'isActive': { '$ne': false } }` keeps those whose value is anything but that one
 * (including absent: a field some rows of a report leave out).
 */
function whereFilter(where: unknown): ((item: unknown) => boolean) | undefined {
  if (where === undefined || where === null || typeof where !== 'object' || Array.isArray(where)) return undefined
  const tests = Object.entries(where as Record<string, unknown>).map(([path, value]) => {
    const read = pathReader(path)
    const ne = value !== null && typeof value === 'object' && '$ne' in value ? (value as { $ne: unknown }).$ne : undefined
    return ne !== undefined ? (item: unknown) => read(item) !== ne : (item: unknown) => read(item) === value
  })
  return (item) => tests.every((test) => test(item))
}

/** Join options: `caseless` folds keys to lower case (emails), on both sides of a join. */
function keyOf(options: unknown): (key: unknown) => string {
  const caseless = options !== null && typeof options === 'object' && (options as { caseless?: unknown }).caseless === true
  return caseless ? (key) => String(key).toLowerCase() : String
}

/**
 * Join tables built from the same array with the same arguments, remembered for as long as the
 * array lives. A response mapping runs once per vendor page and its side loads are the same
 * arrays on every page of a walk (and for 30 s across requests), so `$keyBy(sideload.spend, …)`
 * is built once, not once per page. Safe because the functions are pure and nothing mutates
 * vendor data; the tables are frozen so nothing can.
 */
const joinTables = new WeakMap<object, Map<string, Readonly<Record<string, unknown>>>>()

function rememberedJoin(items: unknown, args: unknown[], build: () => Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(items)) return build()
  const key = JSON.stringify(args)
  let tables = joinTables.get(items)
  if (!tables) joinTables.set(items, (tables = new Map()))
  let table = tables.get(key)
  if (!table) tables.set(key, (table = Object.freeze(build())))
  return table
}

/**
 * An object of array items keyed by a field, for joins done once per page instead of per record:
 * `$keyBy(sideload.usage, 'actor.email_address')`. Later items win. The optional `where` keeps
 * only items matching it (`{ 'actor.type': 'user_actor' }`), without a JSONata filter that would
 * make a new array — and so a new table — on every page. `options` `{ 'caseless': true }` folds
 * keys to lower case (look them up with `$lowercase(...)`).
 */
export function keyBy(items: unknown, field: string, where?: unknown, options?: unknown): Record<string, unknown> {
  return rememberedJoin(items, ['keyBy', field, where, options], () => {
    const out: Record<string, unknown> = Object.create(null)
    const read = pathReader(field)
    const keep = whereFilter(where)
    const toKey = keyOf(options)
    for (const item of asList(items)) {
      if (keep && !keep(item)) continue
      const key = read(item)
      if (key !== undefined && key !== null) out[toKey(key)] = item
    }
    return out
  })
}

/** Like keyBy, but keeps the largest `valueField` per key (e.g. the latest activity date). */
export function maxBy(items: unknown, keyField: string, valueField: string, where?: unknown, options?: unknown): Record<string, unknown> {
  return rememberedJoin(items, ['maxBy', keyField, valueField, where, options], () => {
    const out: Record<string, unknown> = Object.create(null)
    const readKey = pathReader(keyField)
    const readValue = pathReader(valueField)
    const keep = whereFilter(where)
    const toKey = keyOf(options)
    for (const item of asList(items)) {
      if (keep && !keep(item)) continue
      const key = readKey(item)
      const value = readValue(item)
      if (key === undefined || key === null || value === undefined || value === null) continue
      const k = toKey(key)
      if (out[k] === undefined || String(value) > String(out[k])) out[k] = value
    }
    return out
  })
}

/**
 * A display name split at its first space into `{first, last}` (vendors that keep one `name`
 * field): `"Ada King Lovelace"` → first `Ada`, last `King Lovelace`; one word is a first name.
 */
export function nameParts(name: unknown): { first: string | null; last: string | null } {
  const trimmed = typeof name === 'string' ? name.trim() : ''
  if (trimmed === '') return { first: null, last: null }
  const space = trimmed.indexOf(' ')
  if (space < 0) return { first: trimmed, last: null }
  return { first: trimmed.slice(0, space), last: trimmed.slice(space + 1).trim() }
}

let isoCurrencies: Set<string> | undefined
/** Minor-unit digits per currency code: building an Intl.NumberFormat costs more than the rest of a record. */
const currencyDigits = new Map<string, number>()

function fractionDigits(code: string): number {
  let digits = currencyDigits.get(code)
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2
    currencyDigits.set(code, digits)
  }
  return digits
}

/**
 * `amount` in the smallest unit of `currency` (cents for USD, yen for JPY, fils for KWD), or
 * undefined when `currency` is not an ISO 4217 code or `amount` is not a number. For vendors that
 * report major units (`hardLimitOverrideDollars`, a Limitr cap of 50 usd) and the contract's
 * `spend_limit.amount`.
 */
export function minorUnits(amount: unknown, currency: unknown): number | undefined {
  if (typeof currency !== 'string' || !/^[a-z]{3}$/i.test(currency)) return undefined
  const code = currency.toUpperCase()
  isoCurrencies ??= new Set(Intl.supportedValuesOf('currency'))
  if (!isoCurrencies.has(code)) return undefined
  const n = typeof amount === 'number' ? amount : typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : Number.NaN
  if (!Number.isFinite(n)) return undefined
  return Math.round(n * 10 ** fractionDigits(code))
}

/**
 * An amount in the smallest unit of `currency`, exactly, keeping fractions (usage costs are often
 * a fraction of a cent): `given` says what the vendor sent, `'minor'` (cents: Anthropic's
 * `"123.45"`) or `'major'` (dollars: OpenAI's `amount.value`, as a number or as text). Major
 * units need an ISO 4217 `currency` to know how many minor digits it has; undefined otherwise, and
 * for anything that is not a decimal.
 */
export function minorAmount(value: unknown, given: unknown, currency?: unknown): number | undefined {
  if (given === 'minor') return shiftDecimal(value, 0)
  if (given !== 'major' || typeof currency !== 'string' || !/^[a-z]{3}$/i.test(currency)) return undefined
  const code = currency.toUpperCase()
  isoCurrencies ??= new Set(Intl.supportedValuesOf('currency'))
  return isoCurrencies.has(code) ? shiftDecimal(value, fractionDigits(code)) : undefined
}

/**
 * A number given as a number or as text with no unit or the one named (`'40'`, `'100usd'` for
 * unit `usd`, case-insensitive), as Stof writes quantities; undefined for anything else (another
 * unit, not a number), so an amount in GB is never read as money.
 */
export function numberIn(value: unknown, unit?: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string') return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value)
  if (!m) return undefined
  const suffix = m[2].toLowerCase()
  return suffix === '' || (typeof unit === 'string' && suffix === unit.toLowerCase()) ? Number(m[1]) : undefined
}

export const MAPPING_FUNCTIONS: Array<{ name: string; impl: (...args: never[]) => unknown; signature?: string }> = [
  { name: 'firstNonEmpty', impl: firstNonEmpty as (...a: never[]) => unknown },
  { name: 'removeEmpty', impl: removeEmpty as (...a: never[]) => unknown },
  { name: 'toIso', impl: toIso as (...a: never[]) => unknown },
  { name: 'daysAgo', impl: daysAgo as (...a: never[]) => unknown, signature: '<n:s>' },
  { name: 'keyBy', impl: keyBy as (...a: never[]) => unknown },
  { name: 'maxBy', impl: maxBy as (...a: never[]) => unknown },
  { name: 'minorUnits', impl: minorUnits as (...a: never[]) => unknown },
  { name: 'nameParts', impl: nameParts as (...a: never[]) => unknown },
  { name: 'numberIn', impl: numberIn as (...a: never[]) => unknown },
  { name: 'minorAmount', impl: minorAmount as (...a: never[]) => unknown },
  { name: 'stableId', impl: stableId as (...a: never[]) => unknown },
  { name: 'plusDays', impl: plusDays as (...a: never[]) => unknown },
  { name: 'utcDate', impl: utcDate as (...a: never[]) => unknown },
  { name: 'calendarShift', impl: calendarShift as (...a: never[]) => unknown },
]

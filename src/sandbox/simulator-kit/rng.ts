/**
 * Deterministic data for simulators: the same seed and index always give the same record,
 * so a simulator can serve a million users without holding them in memory.
 */

/** A 32-bit integer hash of (seed, index): cheap, stable, good enough for fake data. */
export function hash32(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) + Math.imul(index + 1, 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** A seeded generator of numbers in [0, 1), for sequences that must be reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Radia',
  'Guido',
  'Frances',
  'Edsger',
  'Hedy',
  'Donald',
  'Katherine',
  'Tim',
  'Sophie',
  'Yukihiro',
  'Anita',
  'Bjarne',
  'Jean',
  'Niklaus',
  'Annie',
  'Vint',
  'Shafi',
  'Leslie',
  'Karen',
  'John',
  'Mary',
  'Ivan',
]
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Perlman',
  'van Rossum',
  'Allen',
  'Dijkstra',
  'Lamarr',
  'Knuth',
  'Johnson',
  'Berners-Lee',
  'Wilson',
  'Matsumoto',
  'Borg',
  'Stroustrup',
  'Sammet',
  'Wirth',
  'Easley',
  'Cerf',
  'Goldwasser',
  'Lamport',
  'Jones',
  'McCarthy',
  'Keller',
  'Sutherland',
]

interface FakePerson {
  firstName: string
  lastName: string
  name: string
  /** Unique per index, lower-case, safe for every vendor. */
  email: string
}

/** The person at `index`: names repeat, emails never do. */
export function fakePerson(seed: number, index: number, domain = 'example.com'): FakePerson {
  const h = hash32(seed, index)
  const firstName = FIRST_NAMES[h % FIRST_NAMES.length]
  const lastName = LAST_NAMES[(h >>> 8) % LAST_NAMES.length]
  const local = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '')
  return { firstName, lastName, name: `${firstName} ${lastName}`, email: `${local}.${index}@${domain}` }
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

/** Fixed-width base58 of a non-negative integer: sorts like the number it encodes. */
function base58Fixed(value: number, width: number): string {
  let out = ''
  let v = Math.floor(value)
  for (let i = 0; i < width; i++) {
    out = BASE58[v % 58] + out
    v = Math.floor(v / 58)
  }
  return out
}

/** Inverse of base58Fixed; NaN when the text is not base58. */
function parseBase58(text: string): number {
  let v = 0
  for (const ch of text) {
    const d = BASE58.indexOf(ch)
    if (d < 0) return Number.NaN
    v = v * 58 + d
  }
  return v
}

/** A deterministic pseudo-random base58 tail, so ids look like the vendor's. */
export function base58Noise(seed: number, index: number, length: number): string {
  const next = mulberry32(hash32(seed, index))
  let out = ''
  for (let i = 0; i < length; i++) out += BASE58[Math.floor(next() * 58)]
  return out
}

/** A deterministic UUID (v4 layout) for `index`. */
export function fakeUuid(seed: number, index: number): string {
  const next = mulberry32(hash32(seed, index) ^ 0x5bd1e995)
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16], 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/**
 * A seeded bijection on [0, 58^width): turns a row index into the base58 digits of an id that
 * can be decoded back (O(1) cursor lookups) without ids sorting or counting like the index.
 */
export function base58IndexScrambler(seed: number, width: number): { encode(index: number): string; decode(text: string): number } {
  const space = 58n ** BigInt(width)
  // 58^w = 2^w · 29^w, so any multiplier that is odd and not a multiple of 29 is invertible.
  // `>>> 0` because `| 1` yields a signed 32-bit value, and a negative multiplier breaks the digits.
  let mul = BigInt((hash32(seed, -1) | 1) >>> 0)
  if (mul % 29n === 0n) mul += 2n
  mul %= space
  const add = BigInt(hash32(seed, -2)) % space
  // Modular inverse of `mul` by extended Euclid.
  let [r0, r1, s0, s1] = [mul, space, 1n, 0n]
  while (r1 !== 0n) {
    const q = r0 / r1
    ;[r0, r1] = [r1, r0 - q * r1]
    ;[s0, s1] = [s1, s0 - q * s1]
  }
  const inv = ((s0 % space) + space) % space
  return {
    encode: (index) => base58Fixed(Number((BigInt(index) * mul + add) % space), width),
    decode(text) {
      const v = parseBase58(text)
      if (!Number.isInteger(v) || text.length !== width) return Number.NaN
      return Number((((((BigInt(v) - add) % space) + space) % space) * inv) % space)
    },
  }
}

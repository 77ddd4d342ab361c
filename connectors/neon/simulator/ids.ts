/**
 * Member ids that can be read back: a kit `fakeUuid` whose last eight hex digits are the member
 * index run through an invertible 32-bit mix. `GET /members/{member_id}` then finds member `i`
 * in O(1) among a million without a lookup table, and the ids still look random.
 */
import { fakeUuid, hash32 } from '../../../src/sandbox/simulator-kit'

const MIX = 0x45d9f3b

/** The multiplicative inverse of MIX modulo 2^32 (Newton's iteration doubles the bits each step). */
const MIX_INVERSE = (() => {
  let inv = MIX
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(MIX, inv))
  return inv >>> 0
})()

function mix(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0
  x = Math.imul(x, MIX) >>> 0
  x = (x ^ (x >>> 16)) >>> 0
  x = Math.imul(x, MIX) >>> 0
  return (x ^ (x >>> 16)) >>> 0
}

function unmix(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0
  x = Math.imul(x, MIX_INVERSE) >>> 0
  x = (x ^ (x >>> 16)) >>> 0
  x = Math.imul(x, MIX_INVERSE) >>> 0
  return (x ^ (x >>> 16)) >>> 0
}

export function memberId(seed: number, index: number): string {
  const tail = (mix(index) ^ hash32(seed, -3)) >>> 0
  return fakeUuid(seed, index).slice(0, 28) + tail.toString(16).padStart(8, '0')
}

/** The member index an id encodes, or -1 when it is not one of this seed's ids. */
export function memberIndex(seed: number, id: string, size: number): number {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return -1
  const index = unmix((parseInt(id.slice(28), 16) ^ hash32(seed, -3)) >>> 0)
  return index < size && memberId(seed, index) === id ? index : -1
}

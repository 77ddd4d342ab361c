/**
 * OpenAI-looking ids that encode their own position: `user-` + 24 alphanumerics, of which 5
 * (after 7 noise characters) are a seeded, decodable scramble of the index. Decoding is O(1),
 * so an `after` cursor into a million users costs nothing, and ids from another seed, or made
 * up, fail the round trip and are "not ours".
 */
import { base58IndexScrambler, base58Noise } from '../../../src/sandbox/simulator-kit'

const HEAD_NOISE = 7
const INDEX_WIDTH = 5
const TAIL_NOISE = 12

export interface IdCodec {
  idOf(index: number): string
  /** The index an id encodes, or undefined when it is not an id this simulator could have minted. */
  indexOf(id: string): number | undefined
}

/** `salt` keeps users, invites and projects at the same index from sharing an id. */
export function idCodec(prefix: string, seed: number, salt: number): IdCodec {
  const noiseSeed = (seed ^ salt) >>> 0
  const scrambler = base58IndexScrambler(noiseSeed, INDEX_WIDTH)
  const idOf = (index: number): string => {
    const noise = base58Noise(noiseSeed, index, HEAD_NOISE + TAIL_NOISE)
    return `${prefix}${noise.slice(0, HEAD_NOISE)}${scrambler.encode(index)}${noise.slice(HEAD_NOISE)}`
  }
  return {
    idOf,
    indexOf(id) {
      if (!id.startsWith(prefix) || id.length !== prefix.length + HEAD_NOISE + INDEX_WIDTH + TAIL_NOISE) return undefined
      const start = prefix.length + HEAD_NOISE
      const index = scrambler.decode(id.slice(start, start + INDEX_WIDTH))
      return Number.isInteger(index) && idOf(index) === id ? index : undefined
    },
  }
}

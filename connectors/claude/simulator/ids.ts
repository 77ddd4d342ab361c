/**
 * Anthropic-looking object ids that encode their own position. `user_01WCz1FkmYMm4gnmykNKUu3Q`
 * is `user_` + 24 base58 characters; ours are `user_01` + 5 scrambled base58 digits of the index
 * + 17 seeded noise characters. Decoding is O(1), so `after_id` on a million users costs
 * nothing; the noise check turns ids from another seed (or made up) into "not ours"; and the
 * scrambling keeps anything from leaning on ids sorting like insertion order, which Anthropic
 * does not promise.
 */
import { base58IndexScrambler, base58Noise } from '../../../src/sandbox/simulator-kit'

/** 58^5 ≈ 656 million positions: far beyond the 1,000,000 users the simulator promises. */
const INDEX_WIDTH = 5
const NOISE_LENGTH = 17

export interface IdCodec {
  idOf(index: number): string
  /** The index an id encodes, or undefined when it is not an id this simulator could have minted. */
  indexOf(id: string): number | undefined
}

/** `salt` keeps users and invites at the same index from sharing an id. */
export function idCodec(prefix: string, seed: number, salt: number): IdCodec {
  const head = `${prefix}01`
  const noiseSeed = (seed ^ salt) >>> 0
  const scrambler = base58IndexScrambler(noiseSeed, INDEX_WIDTH)
  const idOf = (index: number): string => `${head}${scrambler.encode(index)}${base58Noise(noiseSeed, index, NOISE_LENGTH)}`
  return {
    idOf,
    indexOf(id) {
      if (!id.startsWith(head) || id.length !== head.length + INDEX_WIDTH + NOISE_LENGTH) return undefined
      const index = scrambler.decode(id.slice(head.length, head.length + INDEX_WIDTH))
      return Number.isInteger(index) && idOf(index) === id ? index : undefined
    },
  }
}

/**
 * Seeds of the fast-check properties, for the whole suite (a vitest setup file, see
 * vitest.config.ts). Every property runs with one fixed seed, so a run is repeatable and CI never
 * fails by chance. fast-check prints the seed and the path of the shrunk case with every failure
 * (`{ seed: 1207, path: "6:1:0", … }`); `UNIMETER_FC_SEED=<seed>` replays a printed seed.
 * `UNIMETER_FC_RANDOM=1` (`npm run test:random`) draws a fresh seed per test file instead, to
 * find cases the fixed seed misses; the seed is printed at the start of each file.
 */
import fc from 'fast-check'

/** The seed of every ordinary run. */
export const FIXED_SEED = 1207

/** The seed this run uses, and where it came from. */
export function chooseSeed(
  env: Record<string, string | undefined>,
  random: () => number = Math.random,
): { seed: number; source: 'fixed' | 'env' | 'random' } {
  const given = env.UNIMETER_FC_SEED
  if (given !== undefined && given !== '') {
    const seed = Number(given)
    if (!Number.isSafeInteger(seed))
      throw new Error(`UNIMETER_FC_SEED must be an integer (a seed fast-check printed), got ${JSON.stringify(given)}`)
    return { seed, source: 'env' }
  }
  if (env.UNIMETER_FC_RANDOM === '1' || env.UNIMETER_FC_RANDOM === 'true') {
    // fast-check takes 32-bit seeds.
    return { seed: Math.floor(random() * 0x1_0000_0000) - 0x8000_0000, source: 'random' }
  }
  return { seed: FIXED_SEED, source: 'fixed' }
}

const chosen = chooseSeed(process.env)
if (chosen.source === 'random') console.log(`fast-check: random seed ${chosen.seed} (replay with UNIMETER_FC_SEED=${chosen.seed})`)
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: chosen.seed })

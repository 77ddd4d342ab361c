/**
 * Every fast-check property in the suite runs seeded (test/support/seeded.ts, a vitest setup
 * file): the same cases on every run, the seed in every failure report, a printed seed
 * replayable through UNIMETER_FC_SEED, and random seeds only when asked for.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chooseSeed, FIXED_SEED } from '../support/seeded'

describe('seed choice', () => {
  it('is fixed unless told otherwise', () => {
    expect(chooseSeed({})).toEqual({ seed: FIXED_SEED, source: 'fixed' })
    expect(chooseSeed({ UNIMETER_FC_RANDOM: '0', UNIMETER_FC_SEED: '' })).toEqual({ seed: FIXED_SEED, source: 'fixed' })
  })

  it('replays a printed seed, which wins over random mode', () => {
    expect(chooseSeed({ UNIMETER_FC_SEED: '-1834029' })).toEqual({ seed: -1834029, source: 'env' })
    expect(chooseSeed({ UNIMETER_FC_SEED: '42', UNIMETER_FC_RANDOM: '1' })).toEqual({ seed: 42, source: 'env' })
  })

  it('draws a 32-bit seed per run in random mode', () => {
    const a = chooseSeed({ UNIMETER_FC_RANDOM: '1' }, () => 0.25)
    const b = chooseSeed({ UNIMETER_FC_RANDOM: 'true' }, () => 0.75)
    expect(a.source).toBe('random')
    expect(a.seed).not.toBe(b.seed)
    for (const r of [0, 0.5, 0.999999]) {
      const { seed } = chooseSeed({ UNIMETER_FC_RANDOM: '1' }, () => r)
      expect(seed).toBeGreaterThanOrEqual(-(2 ** 31))
      expect(seed).toBeLessThan(2 ** 31)
    }
  })

  it('refuses a seed that is not an integer, saying what to pass', () => {
    expect(() => chooseSeed({ UNIMETER_FC_SEED: 'abc' })).toThrow(/UNIMETER_FC_SEED must be an integer/)
    expect(() => chooseSeed({ UNIMETER_FC_SEED: '1.5' })).toThrow(/UNIMETER_FC_SEED/)
  })
})

describe('the suite-wide fast-check configuration', () => {
  const expected = chooseSeed(process.env)

  it("holds this run's seed (the setup file is wired in vitest.config.ts)", () => {
    const { seed } = fc.readConfigureGlobal()
    expect(typeof seed).toBe('number')
    if (expected.source !== 'random') expect(seed).toBe(expected.seed)
  })

  it('makes properties draw the same cases on every run', () => {
    const draws = () => fc.sample(fc.tuple(fc.double(), fc.string()), 25)
    expect(JSON.stringify(draws())).toBe(JSON.stringify(draws()))
  })

  it('names the seed in a failure report', () => {
    const { seed } = fc.readConfigureGlobal()
    expect(() => fc.assert(fc.property(fc.integer(), (n) => n < 10))).toThrow(`seed: ${seed}`)
  })
})

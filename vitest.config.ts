import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    include: ['test/**/*.test.ts', 'connectors/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files start real servers on loopback; two workers match the 2-core machines.
    pool: 'forks',
    maxWorkers: 2,
    // Removes the .wrangler folder the Workers suites' wrangler runs leave, if the run created it.
    globalSetup: ['test/workers/global-setup.ts'],
    // Every fast-check property runs with a fixed seed (printed on failure); see the file.
    setupFiles: ['test/support/seeded.ts'],
  },
})

import { defineConfig } from 'vitest/config'

// Test files that need no gateway, simulator server, child process or wrangler: a contributor gets
// their answer in seconds with `npm run test:unit`. Everything else is the `gateway` project.
const UNIT_TESTS = [
  'test/core/complete-record.test.ts',
  'test/core/event-bus.test.ts',
  'test/core/node-digests.test.ts',
  'test/core/opened-secrets.test.ts',
  'test/core/wal-checkpointer.test.ts',
  'test/engine/building-blocks.test.ts',
  'test/engine/join-functions.test.ts',
  'test/engine/mapping-compiler-expressions.test.ts',
  'test/engine/mapping-compiler-fallback.test.ts',
  'test/engine/mapping-join-functions.test.ts',
  'test/engine/pick-paths.test.ts',
  'test/engine/position-codec.test.ts',
  'test/engine/url-policy.test.ts',
  'test/integrations/mapping-fields.test.ts',
  'test/reliability/page-total-count.test.ts',
  'test/sync/record-codec.test.ts',
  'test/sync/record-writes.test.ts',
  'test/ui/money.test.ts',
]

export default defineConfig({
  test: {
    // Reporters belong to the whole run: one vitest summary and one closing 'Tests: N passed' line.
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files start real servers on loopback; two workers match the 2-core machines.
    pool: 'forks',
    maxWorkers: 2,
    // Every fast-check property runs with a fixed seed (printed on failure); see the file.
    setupFiles: ['test/support/seeded.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT_TESTS } },
      {
        extends: true,
        test: {
          name: 'gateway',
          include: ['test/**/*.test.ts'],
          exclude: UNIT_TESTS,
          // Removes the .wrangler folder the Workers suites' wrangler runs leave, if the run created it;
          // brings the precompiled build (npm start, unimeter) up to date once for the whole run.
          globalSetup: ['test/workers/global-setup.ts', 'test/support/precompiled-build.ts'],
        },
      },
    ],
  },
})

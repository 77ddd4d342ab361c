/**
 * Vitest global setup for the gateway project: the suites that start `npm start` or `unimeter` as
 * a process run the precompiled build, rebuilt when stale. Bringing it up to date once here keeps
 * test files running side by side from each rebuilding it after a source was edited.
 */
import { builtEntry } from '../../scripts/build-dist.js'

export default async function setup(): Promise<void> {
  await builtEntry('gateway')
}

/**
 * Vitest global setup for the suites that run wrangler: wrangler always puts its build output in
 * the project's .wrangler/tmp (emptied when each wrangler exits). If this test run is what
 * created .wrangler, it is removed once every test file has finished, when no wrangler is left.
 */
import { existsSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'

const WRANGLER_DIR = resolve(import.meta.dirname, '../../.wrangler')

export default function setup(): () => void {
  const existed = existsSync(WRANGLER_DIR)
  return () => {
    if (!existed) rmSync(WRANGLER_DIR, { recursive: true, force: true })
  }
}

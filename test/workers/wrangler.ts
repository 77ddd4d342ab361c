/**
 * Runs the project's own wrangler (pinned in package.json) the way an operator does, isolated for
 * a test: its logs, cache and registry in a directory the caller deletes, no telemetry, no update
 * check and no request.cf lookup, so nothing leaves the machine. (Bundles go to the project's
 * .wrangler/tmp, which wrangler empties on exit; global-setup.ts removes the folder itself.)
 */
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'

export const REPO_ROOT = resolve(import.meta.dirname, '../..')
export const WRANGLER_BIN = resolve(REPO_ROOT, 'node_modules/.bin/wrangler')

export function wranglerEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_SEND_METRICS: 'false',
    // The banner is where wrangler asks npm for a newer version.
    WRANGLER_HIDE_BANNER: 'true',
    WRANGLER_LOG_PATH: resolve(dir, 'logs'),
    WRANGLER_CACHE_DIR: resolve(dir, 'cache'),
    // The registry of local Workers (for service bindings between them): kept per run.
    WRANGLER_REGISTRY_PATH: resolve(dir, 'registry'),
    NO_COLOR: '1',
  }
}

/** One wrangler command to completion; its output is in the error when it fails. */
export async function runWrangler(args: string[], dir: string): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)(WRANGLER_BIN, args, {
      cwd: REPO_ROOT,
      env: wranglerEnv(dir),
      maxBuffer: 16 * 1024 * 1024,
    })
    return `${stdout}${stderr}`
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string }
    throw new Error(`wrangler ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`)
  }
}

/**
 * A real browser for tests: Debian's chromium (/usr/bin/chromium, installed by .ci/run) driven by
 * playwright-core, headless, in a fresh profile directory, with no network beyond `allowedOrigin`:
 * every other request is aborted and recorded, so a test can assert there were none.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.UNIMETER_CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface TestBrowser {
  page: Page
  context: BrowserContext
  /** URLs the page tried to reach outside `allowedOrigin` (each aborted). */
  blocked: string[]
  close(): Promise<void>
}

/** `allowedOrigin`: the gateway, or several origins (a test's own app page beside the gateway). */
export async function openIsolatedBrowser(allowedOrigin: string | string[]): Promise<TestBrowser> {
  const origins = Array.isArray(allowedOrigin) ? allowedOrigin : [allowedOrigin]
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`No browser at ${CHROMIUM_PATH}: apt-get install -y chromium (see .ci/run)`)
  const profile = mkdtempSync(join(tmpdir(), 'unimeter-chromium-'))
  let context: BrowserContext | undefined
  try {
    // launchPersistentContext is how playwright takes a --user-data-dir (a fresh one per run).
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    })
    const blocked: string[] = []
    await context.route('**/*', (route) => {
      const url = route.request().url()
      if (origins.some((o) => url.startsWith(`${o}/`)) || url.startsWith('data:')) return route.continue()
      blocked.push(url)
      return route.abort('blockedbyclient')
    })
    const page = context.pages()[0] ?? (await context.newPage())
    const opened = context
    return {
      page,
      context: opened,
      blocked,
      close: async () => {
        await opened.close()
        rmSync(profile, { recursive: true, force: true })
      },
    }
  } catch (err) {
    await context?.close().catch(() => {})
    rmSync(profile, { recursive: true, force: true })
    throw err
  }
}

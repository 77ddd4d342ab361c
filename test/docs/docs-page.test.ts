/**
 * /docs in a real browser with no network beyond the gateway: the page's renderer (Swagger UI
 * from the pinned swagger-ui-dist, served under /docs/assets/) must draw every operation of
 * /openapi.json, and the page must not even try to reach anything else. The screenshot is kept
 * in test-artifacts/ (git-ignored) for a person to look at.
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openIsolatedBrowser, type TestBrowser } from '../support/browser'
import { startTestGateway, type TestGateway } from '../support/gateway'

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts')
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']

let g: TestGateway
let browser: TestBrowser

beforeAll(async () => {
  g = await startTestGateway({ sandbox: false })
  browser = await openIsolatedBrowser(g.url)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await g?.close()
})

describe('/docs', () => {
  it('serves its renderer from the gateway, without a token, and nothing else under /docs/assets', async () => {
    const js = await fetch(`${g.url}/docs/assets/swagger-ui-bundle.js`)
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect((await js.text()).length).toBeGreaterThan(100_000)
    const css = await fetch(`${g.url}/docs/assets/swagger-ui.css`)
    expect(css.headers.get('content-type')).toMatch(/^text\/css/)
    const other = await fetch(`${g.url}/docs/assets/package.json`)
    expect(other.status).toBe(401)
    const page = await (await fetch(`${g.url}/docs`)).text()
    expect(page).not.toMatch(/https?:\/\/(?!opensource)/)
  })

  it('renders every operation in headless Chromium with the network beyond the gateway blocked', async () => {
    const spec = (await (await fetch(`${g.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> }
    const operationIds = Object.values(spec.paths).flatMap((item) =>
      Object.entries(item)
        .filter(([m]) => HTTP_METHODS.includes(m))
        .map(([, op]) => op.operationId),
    )
    expect(operationIds.length).toBeGreaterThan(20)

    const { page } = browser
    await page.goto(`${g.url}/docs`, { waitUntil: 'load' })
    await page.locator('.opblock').first().waitFor({ state: 'visible', timeout: 20_000 })
    const rendered = await page.locator('.opblock-summary-operation-id').allTextContents()
    expect([...rendered].sort()).toEqual([...operationIds].sort())
    await expect(page.locator('.opblock-summary-path', { hasText: '/unified/usage-metering/users' }).first().isVisible()).resolves.toBe(
      true,
    )
    expect(await page.locator('.info .title').textContent()).toContain('unimeter')

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: resolve(ARTIFACTS, 'docs-page.png'), fullPage: true })
    expect(browser.blocked).toEqual([])
  }, 60_000)
})

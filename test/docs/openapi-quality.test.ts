/**
 * The served /openapi.json as tools use it: Redocly's linter (its `recommended` rules, the ones
 * `redocly lint` applies) finds nothing, not even a warning; and a client generated from it at
 * test time (openapi-typescript types, typechecked, with openapi-fetch) lists a sandbox
 * account's users following next_cursor to the end, against a real gateway.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createConfig, lintFromString } from '@redocly/openapi-core'
import openapiTS, { astToString } from 'openapi-typescript'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, TEST_TOKEN, walkAll, type TestGateway } from '../support/gateway'

const REPO = resolve(import.meta.dirname, '../..')
let g: TestGateway
let specText: string

beforeAll(async () => {
  g = await startTestGateway()
  specText = await (await fetch(`${g.url}/openapi.json`)).text()
})

afterAll(async () => {
  await g?.close()
})

async function lint(source: string) {
  const config = await createConfig({ extends: ['recommended'] })
  const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config })
  return problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)
}

describe('the OpenAPI document', () => {
  it('passes Redocly lint (recommended) with zero errors and zero warnings', async () => {
    expect(await lint(specText)).toEqual([])
  })

  it('is one the linter would fault without operationIds, servers, license or a 4xx on /health', async () => {
    const spec = JSON.parse(specText)
    delete spec.servers
    delete spec.info.license
    delete spec.paths['/health'].get.responses['413']
    for (const item of Object.values(spec.paths) as Array<Record<string, { operationId?: string }>>)
      for (const op of Object.values(item)) delete op.operationId
    const rules = new Set((await lint(JSON.stringify(spec))).map((p) => p.split(':')[0].split(' ')[1]))
    expect([...rules]).toEqual(
      expect.arrayContaining(['no-empty-servers', 'info-license', 'operation-4xx-response', 'operation-operationId']),
    )
  })

  it('generates a typed client (openapi-typescript + openapi-fetch) that lists users across pages', async () => {
    // Inside the repository so the generated module resolves openapi-fetch; deleted afterwards.
    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true })
    const dir = mkdtempSync(join(REPO, 'test-artifacts', 'openapi-client-'))
    try {
      writeFileSync(join(dir, 'schema.ts'), astToString(await openapiTS(specText)))
      writeFileSync(
        join(dir, 'client.ts'),
        `import createClient from 'openapi-fetch'
import type { paths } from './schema'

export async function listAllUsers(baseUrl: string, token: string, accountId: string, limit: number) {
  const client = createClient<paths, 'application/json'>({ baseUrl, headers: { authorization: \`Bearer \${token}\` } })
  const ids: string[] = []
  let cursor: string | undefined
  let pages = 0
  do {
    const { data, error } = await client.GET('/unified/usage-metering/users', {
      params: { query: { integrated_account_id: accountId, limit, next_cursor: cursor } },
    })
    if (error) throw new Error(\`\${error.code}: \${error.message}\`)
    for (const user of data.result) ids.push(user.id)
    cursor = data.next_cursor ?? undefined
    pages++
  } while (cursor)
  return { ids, pages }
}
`,
      )
      // The generated types must accept the calls above and type the responses (strict mode).
      const program = ts.createProgram([join(dir, 'client.ts')], {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        target: ts.ScriptTarget.ES2022,
        skipLibCheck: true,
      })
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      expect(diagnostics).toEqual([])

      const { listAllUsers } = (await import(pathToFileURL(join(dir, 'client.ts')).href)) as {
        listAllUsers(baseUrl: string, token: string, accountId: string, limit: number): Promise<{ ids: string[]; pages: number }>
      }
      const viaClient = await listAllUsers(g.url, TEST_TOKEN, 'sandbox-cursor', 7)
      const direct = await walkAll(g, '/unified/usage-metering/users?integrated_account_id=sandbox-cursor&limit=7')
      expect(viaClient.pages).toBeGreaterThan(1)
      expect(viaClient.ids).toEqual(direct.records.map((r) => r.id))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

/**
 * Credential patterns describe the documented key forms; they must accept every one of them, and
 * a value in another form is stored with a warning (vendors add key formats) unless it can never
 * work (a URL field that is not a URL, an organization id Neon's spec rules out).
 */
import { describe, expect, it } from 'vitest'
import { connectors } from '../../connectors'
import { validateContext } from '../../src/accounts/account-validation'
import { createAccount, routeVendor, startReplay, useGateway } from '../connectors/support/vendor-accounts'

/** Every documented form of each patterned field, per vendor docs. */
const DOCUMENTED: Record<string, Record<string, string[]>> = {
  // https://cursor.com/docs/api (key_…); Airbyte's Cursor spec: new keys start with crsr_.
  cursor: { api_key: ['key_0123456789abcdef', 'crsr_0123456789abcdef'] },
  // https://docs.anthropic.com/en/api/administration-api: Admin keys sk-ant-admin01-…
  claude: { api_key: ['sk-ant-admin01-AbC_dEf-123'] },
  // https://platform.openai.com/docs/api-reference/administration: Admin keys sk-admin-…
  // Codex Analytics: a Platform API key (project keys sk-proj-…, legacy user keys sk-…) scoped by OpenAI support.
  // https://developers.openai.com/codex/enterprise/governance#analytics-api
  'openai-codex': { api_key: ['sk-admin-AbCdEf123'], analytics_api_key: ['sk-proj-AbCdEf123', 'sk-AbCdEf123'] },
  // https://docs.limitly.dev/rest-api/authentication: lk_ + 32 characters
  limitly: { api_key: ['lk_1234567890abcdef1234567890abcdef'] },
  // Neon's OpenAPI Organization.id pattern; the docs' example id.
  neon: { org_id: ['org-morning-bread-81040908', 'my-organization-morning-bread-81040908'] },
  // Any http(s) URL.
  limitr: { snapshot_url: ['https://storage.example.com/limitr/customers.json?X-Amz-Signature=abc'] },
}

describe('credential patterns', () => {
  it('accept every documented form, without warnings', () => {
    for (const [id, fields] of Object.entries(DOCUMENTED)) {
      const def = connectors.get(id)!
      for (const field of [...def.credentials, ...(def.contextFields ?? [])]) {
        if (!field.pattern) continue
        const forms = fields[field.name]
        expect(forms, `${id}.${field.name} has a pattern but no documented forms listed here`).toBeDefined()
        for (const value of forms) expect(new RegExp(field.pattern).test(value), `${id}.${field.name}: ${value}`).toBe(true)
      }
    }
  })

  it('warn on an undocumented key form, and refuse only values that can never work', () => {
    const cursor = connectors.get('cursor')!
    expect(validateContext(cursor, { api_key: 'key_x' })).toEqual([])
    const [warning] = validateContext(cursor, { api_key: 'cur_newformat' })
    expect(warning).toMatch(/^context\.api_key does not look like a Admin API key \(e\.g\. key_… or crsr_…\); stored anyway/)
    expect(warning).not.toContain('cur_newformat')
    expect(() => validateContext(connectors.get('neon')!, { api_key: 'napi_x', org_id: 'Org_Upper' })).toThrow(/org_id/)
    expect(() => validateContext(connectors.get('limitr')!, { token: 't', snapshot_url: 'ftp:/x' })).toThrow(/snapshot_url/)
  })
})

describe('an account with an undocumented key form', () => {
  const gateway = useGateway()

  it('is created when the vendor accepts the key, and the answer says why it looks odd', async () => {
    const replay = await startReplay('', { 'GET /teams/members': { teamMembers: [] } })
    try {
      routeVendor(gateway.g, 'cursor', replay.baseUrl)
      const created = await createAccount(gateway.g, 'cursor', { api_key: 'cur_notyetdocumented' })
      expect(created.status).toBe(201)
      expect(created.body.warnings).toEqual([expect.stringMatching(/^context\.api_key does not look like/)])
      const again = await gateway.g.json(`/integrated-account/${created.body.id}`)
      expect(again.body).not.toHaveProperty('warnings')
    } finally {
      await replay.close()
    }
  })
})

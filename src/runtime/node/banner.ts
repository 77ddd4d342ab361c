/** What `npm start` prints: where the gateway is, the token, and curls that work as pasted. */
import type { RunningGateway } from './start-gateway'

export function banner(g: RunningGateway): string {
  const token = g.generatedAdminToken ?? (g.settings.UNIMETER_ADMIN_TOKEN ? '$UNIMETER_ADMIN_TOKEN' : '<your API token>')
  const lines = [
    '',
    `unimeter is listening on ${g.url}`,
    `  database:        ${g.settings.UNIMETER_DATABASE_PATH}`,
    `  encryption key:  ${g.keySource}`,
    `  API docs:        ${g.url}/docs  (OpenAPI: ${g.url}/openapi.json)`,
  ]
  if (g.generatedAdminToken) {
    lines.push('', `Admin API token (shown once, stored only as a hash):`, `  ${g.generatedAdminToken}`)
  } else if (!g.settings.UNIMETER_ADMIN_TOKEN) {
    lines.push(
      '',
      'An admin token was generated on an earlier start. Lost it? Start with UNIMETER_ADMIN_TOKEN=<16+ chars> to add a bootstrap token.',
    )
  }
  // Double quotes let the shell expand $UNIMETER_ADMIN_TOKEN; a generated token is literal.
  lines.push('', g.generatedAdminToken ? `export UNIMETER_TOKEN='${token}'` : `export UNIMETER_TOKEN="${token}"`)
  if (g.url !== 'http://127.0.0.1:8787') lines.push(`export UNIMETER_API_URL=${g.url}   # for the unimeter CLI`)
  lines.push('')
  if (g.sandbox && g.sandbox.accounts.size > 0) {
    lines.push('Sandbox accounts (simulated vendors on loopback):')
    for (const [connector, id] of g.sandbox.accounts) lines.push(`  ${connector.padEnd(14)} ${id}`)
    const first = [...g.sandbox.accounts.values()][0]
    // The simulators' keys are fixed test values (not secrets): with them and "environment":
    // "sandbox", a new account is connected to a simulator, so POST /integrated-account works offline.
    lines.push('', 'Simulator context (the keys they accept) to connect a new sandbox account:')
    for (const [connector, sim] of g.sandbox.simulators) {
      lines.push(`  ${connector.padEnd(14)} ${sim.baseUrl}  ${JSON.stringify({ ...sim.context, ...sim.credentials })}`)
    }
    const [simId, sim] = [...g.sandbox.simulators][0] ?? []
    if (simId && sim) {
      const body = JSON.stringify({ integration: simId, environment: 'sandbox', context: { ...sim.context, ...sim.credentials } })
      lines.push(
        `  curl -s -X POST -H "Authorization: Bearer $UNIMETER_TOKEN" -H 'content-type: application/json' -d '${body}' ${g.url}/integrated-account`,
      )
    }
    lines.push(
      '',
      'Try:',
      `  curl -s -H "Authorization: Bearer $UNIMETER_TOKEN" '${g.url}/unified/usage-metering/users?integrated_account_id=${first}&limit=5'`,
      `  curl -s -H "Authorization: Bearer $UNIMETER_TOKEN" '${g.url}/unified/usage-metering/users?integrated_account_id=${first}&truto_response_format=stream'`,
      `  curl -s -H "Authorization: Bearer $UNIMETER_TOKEN" '${g.url}/integrated-account'`,
      `  npx unimeter unified usage-metering users -a ${first} -q limit=5`,
      `  npx unimeter export usage-metering/users -a ${first} --out users.ndjson`,
    )
  } else {
    lines.push(
      'Sandbox is off (UNIMETER_SANDBOX=off). Connect an account:',
      `  curl -s -X POST -H "Authorization: Bearer $UNIMETER_TOKEN" -H 'content-type: application/json' -d '{"integration":"claude","context":{"api_key":"sk-ant-admin01-…"}}' ${g.url}/integrated-account`,
    )
  }
  return lines.join('\n')
}

/**
 * Verbose output must never leak what the CLI is careful to keep off the terminal elsewhere:
 * the API token, credentials in request bodies, tokens and webhook secrets in responses.
 */

/** Keys whose string values are secrets wherever they appear in a JSON body. */
const SECRET_KEY = /(^|_)(api_?key|token|secret|password|passphrase|private_?key|access_?key|client_?secret|authorization)$/i

export function redactHeaderValue(name: string, value: string): string {
  if (!/^(authorization|x-api-key|cookie|set-cookie)$/i.test(name)) return value
  const bearer = /^(Bearer\s+)(.{0,6})/i.exec(value)
  return bearer ? `${bearer[1]}${bearer[2]}…[redacted]` : '[redacted]'
}

/** A deep copy of a parsed JSON value with secret-looking string values replaced. */
function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' && SECRET_KEY.test(k) ? '[redacted]' : redactJson(v)
    return out
  }
  return value
}

/** Redacts a body given as text: JSON bodies key by key, and any known secret anywhere. */
export function redactText(text: string, secrets: string[]): string {
  let out = text
  try {
    out = JSON.stringify(redactJson(JSON.parse(text)))
  } catch {
    /* not JSON: only the known secrets below */
  }
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]')
  return out
}

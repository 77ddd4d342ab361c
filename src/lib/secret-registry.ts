/**
 * Every plaintext secret the process has decrypted is remembered here (bounded), so that logs,
 * debug output and echoed vendor errors can be scrubbed of it wherever they come from.
 */
import { bytesToBase64, utf8 } from '../crypto/encoding'

const MAX_SECRETS = 10_000
const MIN_LENGTH = 6
const secrets = new Set<string>()

export function rememberSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_LENGTH) return
  if (secrets.size >= MAX_SECRETS) secrets.delete(secrets.values().next().value as string)
  secrets.add(value)
}

export const REDACTED = '[REDACTED]'

/** The text with every known secret (and its URL/base64 encodings) replaced. */
export function redactText(text: string, extra: readonly string[] = []): string {
  if (!text) return text
  let out = text
  for (const secret of [...extra, ...secrets]) {
    if (secret.length < MIN_LENGTH) continue
    for (const form of encodings(secret)) {
      if (out.includes(form)) out = out.split(form).join(REDACTED)
    }
  }
  return out
}

/** Deep copy of a JSON value with secrets scrubbed from every string. */
export function redactValue<T>(value: T, extra: readonly string[] = []): T {
  if (value === null || value === undefined) return value
  if (typeof value === 'string') return redactText(value, extra) as T
  if (typeof value !== 'object') return value
  return JSON.parse(redactText(JSON.stringify(value), extra)) as T
}

function encodings(secret: string): string[] {
  const forms = [secret]
  const uri = encodeURIComponent(secret)
  if (uri !== secret) forms.push(uri)
  // Basic auth carries `secret:` base64-encoded (UTF-8); a vendor echoing the header would leak it.
  forms.push(bytesToBase64(utf8.encode(`${secret}:`)), bytesToBase64(utf8.encode(secret)))
  return forms
}

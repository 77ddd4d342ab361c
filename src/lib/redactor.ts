/**
 * Every plaintext secret the gateway has decrypted is remembered here (bounded), so that logs,
 * debug output and echoed vendor errors can be scrubbed of it wherever they come from. One per
 * gateway (a field of GatewayServices), shared by its logger, account store and vendor engine.
 */
import { bytesToBase64, utf8 } from '../crypto/encoding'

const MAX_SECRETS = 10_000
const MIN_LENGTH = 6

export const REDACTED = '[REDACTED]'

export class Redactor {
  /**
   * Each remembered secret with its encodings, worked out once: every vendor call redacts its
   * URL, and encoding every secret again each time showed in the list path's profile (issue 16).
   */
  private readonly secrets = new Map<string, string[]>()

  remember(value: unknown): void {
    if (typeof value !== 'string' || value.length < MIN_LENGTH) return
    if (this.secrets.size >= MAX_SECRETS) this.secrets.delete(this.secrets.keys().next().value as string)
    // A secret remembered again keeps its place, as it did in a Set.
    if (!this.secrets.has(value)) this.secrets.set(value, encodings(value))
  }

  /** The text with every known secret and every `extra` one (and their URL/base64 encodings) replaced. */
  redactText(text: string, extra: readonly string[] = []): string {
    if (!text) return text
    let out = text
    const scrub = (forms: readonly string[]) => {
      for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED)
    }
    for (const secret of extra) if (secret.length >= MIN_LENGTH) scrub(this.secrets.get(secret) ?? encodings(secret))
    for (const forms of this.secrets.values()) scrub(forms)
    return out
  }

  /** Deep copy of a JSON value with secrets scrubbed from every string. */
  redactValue<T>(value: T, extra: readonly string[] = []): T {
    if (value === null || value === undefined) return value
    if (typeof value === 'string') return this.redactText(value, extra) as T
    if (typeof value !== 'object') return value
    return JSON.parse(this.redactText(JSON.stringify(value), extra)) as T
  }
}

function encodings(secret: string): string[] {
  const forms = [secret]
  const uri = encodeURIComponent(secret)
  if (uri !== secret) forms.push(uri)
  // Basic auth carries `secret:` base64-encoded (UTF-8); a vendor echoing the header would leak it.
  forms.push(bytesToBase64(utf8.encode(`${secret}:`)), bytesToBase64(utf8.encode(secret)))
  return forms
}

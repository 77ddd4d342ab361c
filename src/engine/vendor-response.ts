/**
 * What a vendor answered, judged the same way whatever carried it (HTTP, or a custom protocol
 * such as Limitr's WebSocket): the connector's error mapping may turn any answer into an error
 * with a more precise status, a 4xx/5xx becomes the contract's error, and a success must be JSON.
 */
import type { HttpResponse } from './http/transport'
import type { ResponseFormat, VendorSession } from './vendor-session'
import { invalidVendorBody, parseBody, vendorError } from './vendor-errors'

type Override = { status?: number; message?: string; code?: string } | null

/** The parsed body of a successful answer; throws the contract's error otherwise. */
export async function readVendorResponse(session: VendorSession, res: HttpResponse, format: ResponseFormat = 'json'): Promise<unknown> {
  const { connector, deps } = session
  // Parsed once, for the error mapping and as the result: a vendor page can be megabytes of JSON.
  const body = parseBody(res.body)
  const parsed = body.value
  const override: Override = connector.errors.mapping
    ? ((await deps.mappings.evaluate(`_errors/${connector.errors.mapping}`, {
        status: res.status,
        headers: res.headers,
        body: parsed,
      })) as Override)
    : null
  if (res.status >= 400 || (override && override.status)) {
    throw vendorError(session, { status: res.status, headers: res.headers, body: parsed, override })
  }
  if (res.status < 200 || res.status >= 300) {
    throw invalidVendorBody(session, res.body, `unexpected status ${res.status}`)
  }
  if (format === 'json-lines') return jsonLines(session, res.body, body.json ? parsed : undefined)
  if (!res.body) return null
  if (!body.json) throw invalidVendorBody(session, res.body, 'the body is not valid JSON')
  return parsed
}

/** The records of a JSON-lines body: one per non-blank line, or the array a JSON body holds. */
function jsonLines(session: VendorSession, text: string, whole: unknown): unknown[] {
  if (Array.isArray(whole)) return whole
  const records: unknown[] = []
  let line = 0
  for (const raw of text.split('\n')) {
    line++
    if (raw.trim() === '') continue
    try {
      records.push(JSON.parse(raw))
    } catch {
      throw invalidVendorBody(session, text, `line ${line} of the JSON-lines body is not valid JSON`)
    }
  }
  return records
}

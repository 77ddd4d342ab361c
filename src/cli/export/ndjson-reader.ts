/**
 * Records out of an NDJSON response body, one at a time as bytes arrive. The gateway ends a
 * stream that failed midway with one `{"error": <envelope>}` line: that becomes an ApiCallError.
 */
import { ApiCallError } from '../errors'

function isErrorLine(value: unknown): value is { error: { statusCode: number } } {
  if (!value || typeof value !== 'object') return false
  const keys = Object.keys(value)
  const error = (value as { error?: unknown }).error
  return (
    keys.length === 1 &&
    keys[0] === 'error' &&
    !!error &&
    typeof error === 'object' &&
    typeof (error as { statusCode?: unknown }).statusCode === 'number'
  )
}

export async function* ndjsonRecords(body: AsyncIterable<Uint8Array>, request: string): AsyncGenerator<Record<string, unknown>> {
  const decoder = new TextDecoder()
  let pending = ''
  const parse = (line: string) => {
    const value = JSON.parse(line) as Record<string, unknown>
    if (isErrorLine(value)) throw new ApiCallError(value.error.statusCode, value.error, request)
    return value
  }
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true })
    let start = 0
    let nl: number
    while ((nl = pending.indexOf('\n', start)) >= 0) {
      const line = pending.slice(start, nl)
      start = nl + 1
      if (line.trim() !== '') yield parse(line)
    }
    pending = pending.slice(start)
  }
  pending += decoder.decode()
  if (pending.trim() !== '') yield parse(pending)
}

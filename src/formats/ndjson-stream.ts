/**
 * The `stream` format: NDJSON, one unified record per line, following every page lazily. A page
 * is fetched only when the client has read the previous one (pull-based), so memory stays at
 * one page whatever the list's size. A failure mid-stream ends it with one `{"error": …}` line.
 */
import { ApiError } from '../lib/http-errors'

interface StreamSource {
  /** Lines of the first page, already fetched (so errors before any byte get a real status). */
  first: Record<string, unknown>[]
  /** Next page's records, or null at the end. */
  nextPage(): Promise<Record<string, unknown>[] | null>
  cancel(): void
}

const encoder = new TextEncoder()

function lines(records: Record<string, unknown>[]): Uint8Array {
  let text = ''
  for (const r of records) text += `${JSON.stringify(r)}\n`
  return encoder.encode(text)
}

export function ndjsonStream(source: StreamSource, onError: (err: unknown) => void): ReadableStream<Uint8Array> {
  let pending: Record<string, unknown>[] | null = source.first
  let done = false
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          while (!done) {
            if (pending) {
              const page = pending
              pending = null
              if (page.length > 0) {
                controller.enqueue(lines(page))
                return
              }
            }
            const next = await source.nextPage()
            if (next === null) done = true
            else pending = next
          }
          controller.close()
        } catch (err) {
          done = true
          onError(err)
          const envelope =
            err instanceof ApiError
              ? err.toEnvelope()
              : { statusCode: 500, error: 'Internal Server Error', message: 'The stream failed', code: 'stream_failed' }
          controller.enqueue(encoder.encode(`${JSON.stringify({ error: envelope })}\n`))
          controller.close()
        }
      },
      cancel() {
        done = true
        source.cancel()
      },
    },
    { highWaterMark: 1 },
  )
}

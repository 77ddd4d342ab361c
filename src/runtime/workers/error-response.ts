/** The contract's error envelope for failures before the Hono app exists (start-up errors). */
import { ApiError } from '../../lib/http-errors'

export function errorResponseBody(err: unknown): Response {
  const error = err instanceof ApiError ? err : new ApiError(500, 'internal_error', 'unimeter could not start; the error has been logged')
  if (!(err instanceof ApiError))
    console.error(JSON.stringify({ level: 'error', msg: 'worker start failed', error: (err as Error).message }))
  return new Response(JSON.stringify(error.toEnvelope()), {
    status: error.status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })
}

/** Shared OpenAPI pieces: the error envelope schema and the standard error responses. */
import { z } from '@hono/zod-openapi'

export const errorSchema = z
  .object({
    statusCode: z.number().openapi({ example: 400 }),
    error: z.string().openapi({ example: 'Bad Request' }),
    message: z.string().openapi({ example: 'integrated_account_id is required' }),
    code: z.string().openapi({ example: 'missing_required_query_parameters' }),
    details: z.unknown().optional(),
    truto_is_remote_error: z.boolean().optional(),
    raw_response: z.unknown().optional(),
    truto_error_insight: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('Error')

const err = (description: string) => ({ content: { 'application/json': { schema: errorSchema } }, description })

export const errorResponses = {
  400: err('Invalid input: the message says what to fix.'),
  401: err('Missing or invalid API token, or the vendor rejected the credentials (truto_is_remote_error).'),
  403: err("The API token's role or tenant binding does not allow this (code forbidden); the message names what is needed."),
  404: err('Not found (or belongs to a tenant the token is not bound to).'),
  429: err('Rate limited (by unimeter or the vendor); see Retry-After.'),
  502: err('The vendor failed or answered something unreadable.'),
  503: err('Unavailable (e.g. sandbox simulator not running).'),
  504: err('The vendor did not answer in time.'),
}

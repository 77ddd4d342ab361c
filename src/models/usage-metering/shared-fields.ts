/** Field and parameter schemas several usage-metering resources share. */
import { z } from '@hono/zod-openapi'

export const timestamp = z.string().nullable().openapi({ description: 'ISO-8601 UTC.' })

/** Resources whose list takes no parameters of its own (only the gateway's). */
export const noListParams = z.object({})

export const remoteData = z
  .record(z.string(), z.unknown())
  .nullable()
  .openapi({ description: 'Raw data returned from the remote API call.' })

/** `usage-metering/users`: the people of a vendor account, with their activity and limits. */
import { z } from '@hono/zod-openapi'
import type { UnifiedResource } from '../model-registry'

const email = z.object({
  email: z.string().nullable().openapi({ example: 'ada@example.com' }),
  is_primary: z.boolean().nullable(),
})

const role = z.object({ id: z.string().nullable(), name: z.string().nullable() })

export const usageMeteringUserSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: 'Unique identifier of the user inside the source application.', example: 'user_01WCz1FkmYMm4gnmykNKUu3Q' }),
    first_name: z.string().nullable().openapi({ description: 'The first name of the user' }),
    last_name: z.string().nullable().openapi({ description: 'The last name of the user' }),
    name: z.string().nullable().openapi({ description: 'Display name of the user.', example: 'Ada Lovelace' }),
    emails: z.array(email).nullable().openapi({ description: 'Email addresses of the user.' }),
    roles: z.array(role).nullable().openapi({ description: 'The roles the user has.' }),
    status: z.string().nullable().openapi({
      description: 'active | inactive | deleted | invited; the raw vendor value when no clear mapping exists.',
      example: 'active',
    }),
    organization: z
      .object({ id: z.string().nullable(), name: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The organization / team / workspace the user belongs to.' }),
    spend_limit: z
      .object({
        amount: z.number().nullable().openapi({ description: 'Spending limit in the smallest currency unit.' }),
        currency: z.string().nullable().openapi({ description: 'ISO 4217 currency code.' }),
      })
      .nullable()
      .openapi({ description: 'Per-user spending limit configured in the source application.' }),
    last_active_at: z.string().nullable().openapi({ description: 'ISO-8601 UTC.' }),
    created_at: z.string().nullable().openapi({ description: 'ISO-8601 UTC.' }),
    updated_at: z.string().nullable().openapi({ description: 'ISO-8601 UTC.' }),
    remote_data: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'Raw data returned from the remote API call.' }),
  })
  .openapi('UsageMeteringUser')

export type UsageMeteringUser = z.infer<typeof usageMeteringUserSchema>

export const usageMeteringUsers: UnifiedResource = {
  model: 'usage-metering',
  resource: 'users',
  description: 'Users of the vendor account, in one shape whatever the vendor.',
  schema: usageMeteringUserSchema,
  listParams: z.object({}),
  timestampFields: ['last_active_at', 'created_at', 'updated_at'],
  filterable: { equals: ['status'], emails: 'emails', ranges: ['updated_at', 'last_active_at', 'created_at'] },
  methods: ['list', 'get'],
  key: ['id'],
  changedAtField: 'updated_at',
  sync: { mode: 'snapshot' },
}

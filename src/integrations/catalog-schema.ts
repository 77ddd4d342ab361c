/** The `GET /integrations` body: one zod schema for validation-free output typing and OpenAPI. */
import { z } from '@hono/zod-openapi'

export const METHODS = ['list', 'get'] as const
export type MethodName = (typeof METHODS)[number]

export const fieldSpecSchema = z
  .object({
    name: z.string().openapi({ description: 'Key inside the account `context`.', example: 'api_key' }),
    label: z.string().openapi({ example: 'Admin API key' }),
    secret: z.boolean().openapi({ description: 'Secret fields are encrypted at rest and never returned.' }),
    required: z.boolean(),
    pattern: z.string().nullable().openapi({
      description:
        'A regex of the documented forms. A value that does not match is accepted with a warning, except for fields that can never work otherwise (URLs, Neon organization ids).',
    }),
    example: z.string().nullable(),
    help_text: z.string().nullable(),
  })
  .openapi('IntegrationField')

const integrationResourceSchema = z
  .object({
    model: z.string().openapi({ example: 'usage-metering' }),
    resource: z.string().openapi({ example: 'users' }),
    methods: z.array(z.enum(METHODS)),
    fields: z
      .object({ list: z.array(z.string()), get: z.array(z.string()) })
      .openapi({ description: "Unified fields each method fills, read from the connector's response mappings (the support matrix)." }),
    field_sources: z
      .record(z.string(), z.string())
      .nullable()
      .openapi({
        description:
          "Where each unified field's value comes from at this vendor (endpoint and vendor field, the rule applied, or why it stays null), one sentence per field in schema order. Null when the connector does not document its sources yet.",
        example: { last_active_at: 'Always null: the Admin API has no per-user activity time.' },
      }),
  })
  .openapi('IntegrationResource')

const integrationSchema = z
  .object({
    id: z.string().openapi({ example: 'cursor' }),
    label: z.string().openapi({ example: 'Cursor' }),
    docs_url: z.string().nullable(),
    base_url: z.string().openapi({ description: 'The vendor base URL (operators may replace it with UNIMETER_<ID>_BASE_URL).' }),
    credentials: z.array(fieldSpecSchema).openapi({ description: 'Credential fields to put in the account context.' }),
    context_fields: z
      .array(fieldSpecSchema)
      .openapi({ description: 'Non-secret instance settings to put in the account context (e.g. Neon org_id).' }),
    resources: z.array(integrationResourceSchema),
  })
  .openapi('Integration')

export const integrationListSchema = z.object({ result: z.array(integrationSchema), next_cursor: z.null() })

export type FieldSpec = z.infer<typeof fieldSpecSchema>
export type IntegrationResource = z.infer<typeof integrationResourceSchema>
export type Integration = z.infer<typeof integrationSchema>

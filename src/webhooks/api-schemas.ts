/** The webhook API's shapes: request validation, OpenAPI and view types from one definition. */
import { z } from '@hono/zod-openapi'
import { ALL_EVENTS, EVENT_TYPES } from './event-types'

const eventType = z
  .string()
  .refine((v) => v === ALL_EVENTS || (EVENT_TYPES as readonly string[]).includes(v), {
    message: `unknown event type; use one of ${EVENT_TYPES.join(', ')} or ${ALL_EVENTS} for all`,
  })
  .openapi({ example: 'sync_job_run:completed' })

const targetUrl = z.string().min(1).max(2000).openapi({
  description: 'https URL receiving the events; private and loopback addresses are refused unless UNIMETER_ALLOW_PRIVATE_URLS=true.',
  example: 'https://example.com/hooks/unimeter',
})

export const createWebhookBody = z.object({
  target_url: targetUrl,
  event_types: z.array(eventType).min(1, 'event_types needs at least one event').max(50),
  is_active: z.boolean().optional().openapi({ description: 'Default true.' }),
})

export const patchWebhookBody = z.object({
  target_url: targetUrl.optional(),
  event_types: z.array(eventType).min(1).max(50).optional(),
  is_active: z.boolean().optional(),
})

export const webhookViewSchema = z
  .object({
    id: z.string(),
    target_url: z.string(),
    event_types: z.array(z.string()),
    is_active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Webhook')

export const createdWebhookSchema = webhookViewSchema
  .extend({
    secret: z.string().openapi({
      description:
        'Signs every delivery: X-Truto-Signature is format=sha256,v=<hex HMAC-SHA256 of the raw body with this secret>. Shown only now.',
    }),
  })
  .openapi('WebhookWithSecret')

export const deliveryViewSchema = z
  .object({
    id: z.string(),
    webhook_id: z.string(),
    event_id: z.string(),
    event: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable().openapi({ description: 'When a pending delivery is tried again.' }),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
    updated_at: z.string(),
  })
  .openapi('WebhookDelivery')

export type WebhookView = z.infer<typeof webhookViewSchema>
export type DeliveryView = z.infer<typeof deliveryViewSchema>

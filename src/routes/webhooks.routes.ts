/** The webhook routes' OpenAPI definitions: create, list, get, update, delete, deliveries. */
import { createRoute, z } from '@hono/zod-openapi'
import { createdWebhookSchema, createWebhookBody, deliveryViewSchema, patchWebhookBody, webhookViewSchema } from '../webhooks/api-schemas'
import { errorResponses } from './errors'
import { deletedSchema, getOneRoute, idParam, jsonBody, jsonResponse, pageEnvelope, pageQuery } from './openapi-helpers'

const tag = 'Webhooks'

export const create = createRoute({
  method: 'post',
  path: '/webhook',
  operationId: 'createWebhook',
  tags: [tag],
  summary: 'Create a webhook',
  description: 'The response carries the signing secret; it is never shown again.',
  request: jsonBody(createWebhookBody),
  responses: { 201: jsonResponse(createdWebhookSchema, 'Created, with its secret.'), ...errorResponses },
})

export const list = createRoute({
  method: 'get',
  path: '/webhook',
  operationId: 'listWebhooks',
  tags: [tag],
  summary: 'List webhooks',
  request: { query: z.object(pageQuery) },
  responses: { 200: jsonResponse(pageEnvelope(webhookViewSchema), 'A page of webhooks.'), ...errorResponses },
})

export const getOne = getOneRoute({
  path: '/webhook/{id}',
  operationId: 'getWebhook',
  tag,
  summary: 'Get a webhook',
  schema: webhookViewSchema,
  description: 'The webhook.',
})

export const patch = createRoute({
  method: 'patch',
  path: '/webhook/{id}',
  operationId: 'updateWebhook',
  tags: [tag],
  summary: 'Update a webhook',
  request: { params: idParam, ...jsonBody(patchWebhookBody) },
  responses: { 200: jsonResponse(webhookViewSchema, 'The updated webhook.'), ...errorResponses },
})

export const remove = createRoute({
  method: 'delete',
  path: '/webhook/{id}',
  operationId: 'deleteWebhook',
  tags: [tag],
  summary: 'Delete a webhook (and its delivery records)',
  request: { params: idParam },
  responses: { 200: jsonResponse(deletedSchema, 'Deleted.'), ...errorResponses },
})

export const deliveries = createRoute({
  method: 'get',
  path: '/webhook/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags: [tag],
  summary: 'Delivery records of a webhook, newest first',
  request: { params: idParam, query: z.object({ status: z.enum(['pending', 'delivered', 'failed']).optional(), ...pageQuery }) },
  responses: { 200: jsonResponse(pageEnvelope(deliveryViewSchema), 'A page of deliveries.'), ...errorResponses },
})

/**
 * Webhooks in the database. The signing secret is generated here, returned once, and stored
 * sealed (AES-256-GCM, like account credentials): deliveries need it back, so it cannot be a
 * one-way hash.
 */
import { and, asc, desc, eq, gt, type SQL } from 'drizzle-orm'
import { openJson, sealJson } from '../crypto/aes-gcm'
import { bytesToHex, randomBytes } from '../crypto/encoding'
import { afterKeyset } from '../db/keyset'
import { webhookDeliveries, webhooks, type WebhookDeliveryRow, type WebhookRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import type { DeliveryView, WebhookView } from './api-schemas'

export function webhookView(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    target_url: row.targetUrl,
    event_types: JSON.parse(row.eventTypes) as string[],
    is_active: row.isActive,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }
}

export function deliveryView(row: WebhookDeliveryRow): DeliveryView {
  return {
    id: row.id,
    webhook_id: row.webhookId,
    event_id: row.eventId,
    event: row.event,
    status: row.status as DeliveryView['status'],
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? new Date(row.nextAttemptAt).toISOString() : null,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    created_at: row.createdAt,
    delivered_at: row.deliveredAt,
    updated_at: row.updatedAt,
  }
}

export async function createWebhook(
  services: GatewayServices,
  input: { targetUrl: string; eventTypes: string[]; isActive: boolean },
): Promise<{ row: WebhookRow; secret: string }> {
  const secret = `whsec_${bytesToHex(randomBytes(32))}`
  const sealed = await sealJson(services.keyring, secret)
  const now = new Date().toISOString()
  const row: WebhookRow = {
    id: crypto.randomUUID(),
    targetUrl: input.targetUrl,
    eventTypes: JSON.stringify([...new Set(input.eventTypes)]),
    isActive: input.isActive,
    secretCiphertext: sealed.ciphertext,
    secretIv: sealed.iv,
    secretTag: sealed.tag,
    keyVersion: sealed.keyVersion,
    createdAt: now,
    updatedAt: now,
  }
  await services.db.insert(webhooks).values(row)
  return { row, secret }
}

export function openSecret(services: GatewayServices, row: WebhookRow): Promise<string> {
  return openJson<string>(services.keyring, {
    ciphertext: row.secretCiphertext,
    iv: row.secretIv,
    tag: row.secretTag,
    keyVersion: row.keyVersion,
  })
}

export async function webhookOr404(services: GatewayServices, id: string): Promise<WebhookRow> {
  const row = (await services.db.select().from(webhooks).where(eq(webhooks.id, id)).limit(1))[0]
  if (!row) throw new ApiError(404, 'webhook_not_found', `No webhook with id ${id}`)
  return row
}

export async function listWebhooks(services: GatewayServices, filter: { afterId?: string; limit: number }): Promise<WebhookRow[]> {
  return services.db
    .select()
    .from(webhooks)
    .where(filter.afterId ? gt(webhooks.id, filter.afterId) : undefined)
    .orderBy(asc(webhooks.id))
    .limit(filter.limit)
}

export async function activeWebhooks(services: GatewayServices): Promise<WebhookRow[]> {
  return services.db.select().from(webhooks).where(eq(webhooks.isActive, true))
}

export async function updateWebhook(
  services: GatewayServices,
  row: WebhookRow,
  patch: { targetUrl?: string; eventTypes?: string[]; isActive?: boolean },
): Promise<WebhookRow> {
  const next: WebhookRow = { ...row, updatedAt: new Date().toISOString() }
  if (patch.targetUrl !== undefined) next.targetUrl = patch.targetUrl
  if (patch.eventTypes !== undefined) next.eventTypes = JSON.stringify([...new Set(patch.eventTypes)])
  if (patch.isActive !== undefined) next.isActive = patch.isActive
  await services.db.update(webhooks).set(next).where(eq(webhooks.id, row.id))
  return next
}

export async function deleteWebhook(services: GatewayServices, id: string): Promise<void> {
  await services.db.delete(webhooks).where(eq(webhooks.id, id))
}

/** Newest first, keyset on (created_at, id). */
export async function listDeliveries(
  services: GatewayServices,
  filter: { webhookId: string; status?: string; before?: { createdAt: string; id: string }; limit: number },
): Promise<WebhookDeliveryRow[]> {
  const where: SQL[] = [eq(webhookDeliveries.webhookId, filter.webhookId)]
  if (filter.status) where.push(eq(webhookDeliveries.status, filter.status))
  if (filter.before)
    where.push(
      afterKeyset('desc', webhookDeliveries.createdAt, webhookDeliveries.id, { key: filter.before.createdAt, id: filter.before.id }),
    )
  return services.db
    .select()
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(filter.limit)
}

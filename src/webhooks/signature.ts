/**
 * What a receiver gets: the contract's delivery body and its signature header,
 * `X-Truto-Signature: format=sha256,v=<hex HMAC-SHA256 of the raw body with the secret>`.
 */
import { hmacHex, hmacKey } from '../crypto/digest'
import { utf8 } from '../crypto/encoding'

interface DeliveryBody {
  id: string
  event: string
  payload: Record<string, unknown>
  webhook_id: string
  created_at: string
}

/** Truto writes `created_at` as `2024-09-10 12:00:00` (UTC) in delivery bodies; receivers built for it parse that. */
function deliveryTime(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ')
}

export function deliveryBody(input: {
  eventId: string
  event: string
  payload: Record<string, unknown>
  webhookId: string
  createdAt: string
}): string {
  const body: DeliveryBody = {
    id: input.eventId,
    event: input.event,
    payload: input.payload,
    webhook_id: input.webhookId,
    created_at: deliveryTime(input.createdAt),
  }
  return JSON.stringify(body)
}

export async function signatureHeader(secret: string, rawBody: string): Promise<string> {
  return `format=sha256,v=${await hmacHex(await hmacKey(utf8.encode(secret)), rawBody)}`
}

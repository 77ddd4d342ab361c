/**
 * SHA-256 and HMAC-SHA-256 through node:crypto: the same digests as Web Crypto's, computed
 * synchronously. Web Crypto runs each call as a job (a promise, a copy into a new buffer), which
 * costs more than hashing a small text — and the sync runner hashes every record of every page,
 * the gateway hashes a token and signs a cursor on every request.
 */
import * as nodeCrypto from 'node:crypto'
import { createHmac, createHash } from 'node:crypto'
import type { HmacSignerFactory, Sha256Hex } from '../../crypto/digest'

/**
 * One-shot `crypto.hash` (Node 20.12 and later) where there is one: about half the cost of a Hash
 * object for a record-sized text. Read from the namespace so that an earlier Node 20 falls back.
 */
const oneShot = (nodeCrypto as Partial<typeof nodeCrypto>).hash

export const nodeSha256Hex: Sha256Hex = oneShot
  ? async (text) => oneShot('sha256', text, 'hex')
  : async (text) => createHash('sha256').update(text, 'utf8').digest('hex')

export const nodeHmacSigner: HmacSignerFactory = async (rawKey) => {
  const key = Buffer.from(rawKey)
  return async (text) => createHmac('sha256', key).update(text, 'utf8').digest('base64url')
}

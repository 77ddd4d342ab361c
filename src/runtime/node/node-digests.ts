/**
 * SHA-256 through node:crypto: the same digest as Web Crypto's, computed synchronously. Web
 * Crypto's digest is a job per call (a promise, a copy into a new buffer), which costs more than
 * hashing a small text — and the sync runner hashes every record of every page.
 */
import { createHash } from 'node:crypto'
import type { Sha256Hex } from '../../crypto/digest'

export const nodeSha256Hex: Sha256Hex = async (text) => createHash('sha256').update(text, 'utf8').digest('hex')

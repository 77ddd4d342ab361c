/**
 * Decrypted account secrets, kept briefly so a busy account is not AES-GCM-opened on every
 * request. An entry is keyed by the sealed blob itself (account id, key version, IV, tag,
 * ciphertext): the same sealed input always opens to the same secrets, and any change to the
 * credentials (PATCH, key rotation) re-seals them with a fresh IV, so a changed account never
 * meets an old entry (the store also forgets an account on update and delete), and a deleted account is refused by its row lookup before
 * its secrets are asked for. Entries expire after a short time and the map is bounded, so
 * plaintext secrets do not linger; they are never logged (values are scrubbed by the secret
 * registry as before).
 */
export interface SealedRef {
  accountId: string
  keyVersion: number
  iv: string
  tag: string
  ciphertext: string
}

export class OpenedSecretCache {
  private readonly entries = new Map<string, { at: number; secret: Record<string, unknown> }>()

  constructor(
    private readonly ttlMs = 60_000,
    private readonly max = 1_000,
  ) {}

  private static keyOf(ref: SealedRef): string {
    return `${ref.accountId}\u0000${ref.keyVersion}\u0000${ref.iv}\u0000${ref.tag}\u0000${ref.ciphertext}`
  }

  get(ref: SealedRef, now = Date.now()): Record<string, unknown> | undefined {
    const key = OpenedSecretCache.keyOf(ref)
    const hit = this.entries.get(key)
    if (!hit) return undefined
    if (now - hit.at >= this.ttlMs) {
      this.entries.delete(key)
      return undefined
    }
    return hit.secret
  }

  set(ref: SealedRef, secret: Record<string, unknown>, now = Date.now()): void {
    const key = OpenedSecretCache.keyOf(ref)
    this.entries.delete(key)
    // Insertion order is age order: the oldest entry goes first when full.
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string)
    this.entries.set(key, { at: now, secret })
  }

  /** Forgets every entry of an account (its credentials changed or it was deleted). */
  forget(accountId: string): void {
    const prefix = `${accountId}\u0000`
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }
}

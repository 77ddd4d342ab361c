/** The short-lived cache of opened account secrets: exact sealed-blob keys, expiry, bound, forgetting. */
import { describe, expect, it } from 'vitest'
import { OpenedSecretCache, type SealedRef } from '../../src/accounts/opened-secrets'

const ref = (over: Partial<SealedRef> = {}): SealedRef => ({
  accountId: 'acc-1',
  keyVersion: 1,
  iv: 'iv-1',
  tag: 'tag-1',
  ciphertext: 'ct-1',
  ...over,
})

describe('OpenedSecretCache', () => {
  it('answers only for the exact same sealed blob', () => {
    const cache = new OpenedSecretCache()
    cache.set(ref(), { api_key: 'sk-ant-one' }, 0)
    expect(cache.get(ref(), 1)).toEqual({ api_key: 'sk-ant-one' })
    for (const changed of [{ iv: 'iv-2' }, { tag: 'tag-2' }, { ciphertext: 'ct-2' }, { keyVersion: 2 }, { accountId: 'acc-2' }]) {
      expect(cache.get(ref(changed), 1)).toBeUndefined()
    }
  })

  it('expires entries after its time to live', () => {
    const cache = new OpenedSecretCache(1_000)
    cache.set(ref(), { api_key: 'sk-ant-one' }, 0)
    expect(cache.get(ref(), 999)).toBeDefined()
    expect(cache.get(ref(), 1_000)).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('keeps at most its bound, dropping the oldest first', () => {
    const cache = new OpenedSecretCache(60_000, 2)
    for (const id of ['a', 'b', 'c']) cache.set(ref({ accountId: id }), { id }, 0)
    expect(cache.size).toBe(2)
    expect(cache.get(ref({ accountId: 'a' }), 0)).toBeUndefined()
    expect(cache.get(ref({ accountId: 'c' }), 0)).toEqual({ id: 'c' })
  })

  it('forgets every entry of one account and only of it', () => {
    const cache = new OpenedSecretCache()
    cache.set(ref(), { n: 1 }, 0)
    cache.set(ref({ iv: 'iv-2' }), { n: 2 }, 0)
    cache.set(ref({ accountId: 'acc-10' }), { n: 3 }, 0)
    cache.forget('acc-1')
    expect(cache.size).toBe(1)
    expect(cache.get(ref({ accountId: 'acc-10' }), 0)).toEqual({ n: 3 })
  })
})

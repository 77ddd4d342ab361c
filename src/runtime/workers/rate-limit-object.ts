/**
 * The Durable Object that counts one key of the gateway's rate limits on Workers (`t:<token id>`
 * or `a:<integrated account id>`, the object's name). Every isolate asks the same object, which
 * runs in one place at a time and handles one request after another, so the count is exact and
 * global, with the same fixed window and the same answer (`hitWindow`, `WindowHit`) as Node's
 * in-memory counter. https://developers.cloudflare.com/durable-objects/api/namespace/ (idFromName)
 *
 * The window is also written to the object's SQLite storage (one row): an idle object is evicted
 * from memory within seconds and every deploy restarts it
 * (https://developers.cloudflare.com/durable-objects/concepts/durable-object-lifecycle/), which
 * would otherwise hand a key a fresh budget mid-window whenever the window is longer than that.
 * The class is SQLite-backed (`new_sqlite_classes` in wrangler.toml), the backend Cloudflare
 * recommends for new classes. https://developers.cloudflare.com/durable-objects/api/sqlite-storage-api/
 *
 * A fetch handler rather than RPC methods: RPC needs the class to extend `DurableObject` from
 * `cloudflare:workers`, a module (and type package) the Node type-check does not have.
 */
import { z } from 'zod'
import { hitWindow, type CountWindow, type WindowHit } from '../../routes/rate-limit-window'

/** What the Worker sends: the key's limit and the window length, both from the settings. */
export const hitRequestSchema = z.object({ limit: z.number().int().positive(), windowMs: z.number().int().positive() })

/** What the object answers: the counter's `WindowHit`. */
export const windowHitSchema = z.object({
  limit: z.number().int(),
  remaining: z.number().int(),
  resetMs: z.number(),
  allowed: z.boolean(),
}) satisfies z.ZodType<WindowHit>

/** The part of the object's state used here: SQLite storage's `sql.exec`. */
export interface RateLimitObjectState {
  storage: { sql: { exec(query: string, ...bindings: unknown[]): { toArray(): unknown[] } } }
}

const storedWindowSchema = z.object({ start: z.number(), count: z.number() })

export class RateLimitObject {
  private readonly sql: RateLimitObjectState['storage']['sql']
  /** The current window, read from storage once per start of the object. */
  private window: CountWindow | undefined

  constructor(state: RateLimitObjectState) {
    this.sql = state.storage.sql
    this.sql.exec(
      'CREATE TABLE IF NOT EXISTS rate_window (id INTEGER PRIMARY KEY CHECK (id = 1), start INTEGER NOT NULL, count INTEGER NOT NULL)',
    )
    const row = storedWindowSchema.safeParse(this.sql.exec('SELECT start, count FROM rate_window WHERE id = 1').toArray()[0])
    this.window = row.success ? row.data : undefined
  }

  async fetch(request: Request): Promise<Response> {
    const parsed = hitRequestSchema.safeParse(await request.json().catch(() => undefined))
    if (!parsed.success) return Response.json({ error: 'expected {"limit": n, "windowMs": n}, positive integers' }, { status: 400 })
    const { limit, windowMs } = parsed.data
    const now = Date.now()
    if (!this.window || now - this.window.start >= windowMs) this.window = { start: now, count: 0 }
    const hit = hitWindow(this.window, limit, windowMs, now)
    // Only a counted request changes the window (a new window's first request is always counted).
    if (hit.allowed) {
      this.sql.exec('INSERT OR REPLACE INTO rate_window (id, start, count) VALUES (1, ?, ?)', this.window.start, this.window.count)
    }
    return Response.json(hit)
  }
}

/**
 * WebSocket tickets: `POST /wss/ticket` trades the account token for one, the socket upgrade
 * spends it. Single use and 60 s of life, so a client must fetch a fresh ticket per connection
 * (the SDK does, on every reconnect).
 */
import { randomBytes } from 'node:crypto'

export const TICKET_TTL_MS = 60_000

export class TicketBook {
  private readonly tickets = new Map<string, number>()

  issue(now = Date.now()): string {
    for (const [t, expires] of this.tickets) if (expires <= now) this.tickets.delete(t)
    const ticket = randomBytes(24).toString('base64url')
    this.tickets.set(ticket, now + TICKET_TTL_MS)
    return ticket
  }

  /** Spends `ticket`: true once for a live ticket, false for unknown, used or expired ones. */
  redeem(ticket: string | null, now = Date.now()): boolean {
    if (!ticket) return false
    const expires = this.tickets.get(ticket)
    this.tickets.delete(ticket)
    return expires !== undefined && expires > now
  }

  clear(): void {
    this.tickets.clear()
  }
}

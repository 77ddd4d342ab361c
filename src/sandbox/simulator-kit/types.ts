/** What every vendor simulator module (`connectors/<id>/simulator/index.ts`) exports. */
import type { SimServer } from './server'

export interface SimulatorOptions {
  /** Seed for the deterministic data. Default 42. */
  seed?: number
  /** How many users (members, customers…) the vendor has. Default depends on the vendor (small). */
  users?: number
  host?: string
  /** 0 (default) picks a free port. */
  port?: number
  /**
   * Vendor-specific switches for shapes the reference calls uncertain, e.g.
   * `{ envelope: 'docs' | 'sdk' }` for Limitly or `{ pagination: 'none' }` for Neon.
   */
  variant?: Record<string, string>
}

export interface RunningSimulator extends SimServer {
  /** The URL that replaces the connector's default base URL (e.g. `http://127.0.0.1:4321/v1`). */
  baseUrl: string
  /** Credentials the simulator accepts, keyed like the connector's credential fields. */
  credentials: Record<string, string>
  /** Non-secret account context the sandbox account needs (e.g. Neon `org_id`). */
  context: Record<string, string>
}

export type StartSimulator = (options?: SimulatorOptions) => Promise<RunningSimulator>

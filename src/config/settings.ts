/**
 * Operator settings, read once at start-up from the environment (process.env on Node, the
 * Worker's `env` on Cloudflare). The zod schema is the single list of what can be configured.
 */
import { z } from 'zod'

const bool = z.enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no']).transform((v) => ['true', '1', 'on', 'yes'].includes(v))

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def)

const settingsSchema = z.object({
  PORT: int(8787, 0),
  HOST: z.string().default('127.0.0.1'),
  UNIMETER_DATABASE_PATH: z.string().default('./data/unimeter.db'),
  UNIMETER_SANDBOX: bool.default(true),
  UNIMETER_ADMIN_TOKEN: z.string().min(16, 'UNIMETER_ADMIN_TOKEN must be at least 16 characters').optional(),
  /** 32 bytes, base64 or hex. Generated into the data directory when absent (Node only). */
  UNIMETER_ENCRYPTION_KEY: z.string().optional(),
  UNIMETER_ENCRYPTION_KEY_VERSION: int(1, 1),
  /** Older keys kept for decryption during a rotation: `1:<key>,2:<key>`. */
  UNIMETER_PREVIOUS_ENCRYPTION_KEYS: z.string().optional(),
  UNIMETER_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Retries of a vendor call after the first attempt (429, 5xx, network errors). */
  UNIMETER_RETRY_MAX: int(3, 0),
  UNIMETER_RETRY_MIN_DELAY_MS: int(200, 0),
  UNIMETER_RETRY_MAX_DELAY_MS: int(5_000, 0),
  /** A vendor `retry-after` longer than this is not waited for: the 429 goes to the caller. */
  UNIMETER_RETRY_AFTER_CAP_MS: int(10_000, 0),
  /** Timeout of one vendor request (headers and body). */
  UNIMETER_VENDOR_TIMEOUT_MS: int(15_000, 1),
  /** Overall deadline of one gateway request, retries included. */
  UNIMETER_REQUEST_DEADLINE_MS: int(30_000, 1),
  /**
   * Connections kept open per vendor origin (Node). A request finding them all busy waits for
   * one, within its deadline (then 504).
   */
  UNIMETER_VENDOR_CONNECTIONS: int(64, 1),
  /** Largest vendor response body accepted, in bytes. */
  UNIMETER_MAX_RESPONSE_BYTES: int(50 * 1024 * 1024, 1024),
  /** Vendor pages fetched at most to fill one gateway page. */
  UNIMETER_MAX_VENDOR_PAGES_PER_REQUEST: int(20, 1),
  UNIMETER_ALLOW_PRIVATE_URLS: bool.default(false),
  /** Time allowed for opening a vendor WebSocket (Limitr Cloud), within the vendor timeout. */
  UNIMETER_WS_CONNECT_TIMEOUT_MS: int(5_000, 1),
  /** Requests one API token may make per window (the contract's 500 / 10 s); 0 turns the limit off. */
  UNIMETER_RATE_LIMIT_TOKEN: int(500, 0),
  /** Requests naming one integrated account per window (the contract's 50 / 10 s); 0 turns it off. */
  UNIMETER_RATE_LIMIT_ACCOUNT: int(50, 0),
  /** Length of the gateway's rate-limit window. */
  UNIMETER_RATE_LIMIT_WINDOW_MS: int(10_000, 1),
  /** Failed authentications (401 from the token check) per client address per window; 0 turns it off. */
  UNIMETER_RATE_LIMIT_AUTH_FAILURES: int(20, 0),
  /** That window: an address over the limit is refused (429) until it ends. */
  UNIMETER_RATE_LIMIT_AUTH_WINDOW_MS: int(60_000, 1),
})

export type Settings = z.infer<typeof settingsSchema>

/** The value parsers above, for settings groups kept beside their code (src/sync/sync-settings.ts). */
export { bool as envBool, int as envInt }

/** Environment keys that are not settings but are read by name (per-connector base URLs). */
export function baseUrlOverrideKey(connectorId: string, otherName?: string): string {
  const name = otherName === undefined ? connectorId : `${connectorId}_${otherName}`
  return `UNIMETER_${name.toUpperCase().replace(/-/g, '_')}_BASE_URL`
}

/**
 * Reads the keys of `schema` from the environment (an empty value counts as unset) and
 * validates them; a bad value throws, naming the variable. Shared by every settings group.
 */
export function readEnvSettings<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const picked: Record<string, string> = {}
  for (const key of Object.keys(schema.shape)) {
    const value = env[key]
    if (value !== undefined && value !== '') picked[key] = value
  }
  const parsed = schema.safeParse(picked)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: ${problems}`)
  }
  return parsed.data
}

export function loadSettings(env: Record<string, string | undefined>): Settings {
  return readEnvSettings(settingsSchema, env)
}

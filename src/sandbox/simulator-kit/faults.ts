/**
 * Fault injection shared by every vendor simulator. Tests (and the load suite) queue rules;
 * the HTTP layer applies transport faults, and vendor handlers ask for the semantic ones.
 */
import { mulberry32 } from './rng'

/** Faults the simulator kit applies itself, whatever the vendor. */
export type TransportFault =
  /** The vendor's own error body with this status (the simulator's `errorBody`). */
  | { kind: 'status'; status: number; message?: string; headers?: Record<string, string> }
  /** 429 in the vendor's shape; `retryAfter` null omits the header, a string is sent verbatim. */
  | { kind: 'rate-limit'; retryAfter?: string | null }
  /** Headers and half of the body are sent, then the socket is destroyed. */
  | { kind: 'reset' }
  /** The request is accepted and never answered. */
  | { kind: 'hang' }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed-json' }
  /** 200 whose body stops half way (content-length promises more). */
  | { kind: 'truncated' }
  /** An HTML error page, as a proxy in front of the vendor would send. */
  | { kind: 'html-error'; status?: number }
  /** The real answer, late. */
  | { kind: 'delay'; ms: number }

/** Faults only a vendor handler can apply, because they change the vendor's own data. */
export type SemanticFault = { kind: 'empty-has-more' } | { kind: 'repeat-cursor' } | { kind: 'oversized-page'; factor?: number }

type Fault = TransportFault | SemanticFault
export type SemanticFaultKind = SemanticFault['kind']

export interface FaultRule {
  fault: Fault
  /** How many requests it hits; -1 means every matching request. Default 1. */
  times?: number
  /** Only requests whose path contains this text. */
  path?: string
  method?: string
  /** Chance in [0, 1] that a matching request is hit (seeded, so runs repeat). Default 1. */
  probability?: number
  /** Let this many matching requests through before the rule starts to hit (e.g. fail page 2). */
  skip?: number
}

interface ActiveRule extends FaultRule {
  remaining: number
  skipped: number
}

const SEMANTIC = new Set<string>(['empty-has-more', 'repeat-cursor', 'oversized-page'])

export class FaultController {
  private rules: ActiveRule[] = []
  private readonly random: () => number

  constructor(seed = 42) {
    this.random = mulberry32(seed)
  }

  add(rule: FaultRule | FaultRule[]): void {
    for (const r of Array.isArray(rule) ? rule : [rule]) {
      this.rules.push({ ...r, remaining: r.times ?? 1, skipped: 0 })
    }
  }

  clear(): void {
    this.rules = []
  }

  get pending(): number {
    return this.rules.length
  }

  /** The transport fault for this request, if any (consumes one hit). */
  takeTransport(method: string, path: string): TransportFault | undefined {
    return this.take(method, path, (f) => !SEMANTIC.has(f.kind)) as TransportFault | undefined
  }

  /** Whether a semantic fault of `kind` hits this request (consumes one hit). */
  takeSemantic<K extends SemanticFaultKind>(kind: K, method: string, path: string): Extract<SemanticFault, { kind: K }> | undefined {
    return this.take(method, path, (f) => f.kind === kind) as Extract<SemanticFault, { kind: K }> | undefined
  }

  private take(method: string, path: string, wanted: (f: Fault) => boolean): Fault | undefined {
    for (const rule of this.rules) {
      if (!wanted(rule.fault)) continue
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue
      if (rule.path && !path.includes(rule.path)) continue
      if (rule.probability !== undefined && this.random() >= rule.probability) continue
      if (rule.skipped < (rule.skip ?? 0)) {
        rule.skipped++
        continue
      }
      if (rule.remaining > 0) rule.remaining--
      if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule)
      return rule.fault
    }
    return undefined
  }
}

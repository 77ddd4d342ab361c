/**
 * A CPU profile of a gateway serving lists, split by the work each sample was doing rather than by
 * the folder its innermost frame lives in: a sample counts for the first frame, from the innermost
 * outwards, that names a kind of work (a native `JSON.parse` inside the vendor body's parse counts
 * for that parse; `writev` for the socket, whoever asked). Both the gateway and the hand-written
 * reference of figure 1 are split the same way, so their costs compare kind by kind.
 */
import { attributeBundleFrames } from './bundle-frames'
import type { CpuProfile } from './profile'

export const WORK_KINDS = [
  'garbage collection',
  'socket writes',
  'mapping',
  'completion (unified format)',
  'JSON.stringify of the page',
  'vendor body JSON.parse',
  'cursor signing',
  'vendor call (undici, retries, deadlines)',
  'middleware, routing, query validation',
  'HTTP server (node:http, @hono/node-server)',
  'rest of the engine, accounts, tokens',
  'other (Node internals, promises, V8)',
] as const

export type WorkKind = (typeof WORK_KINDS)[number]

/** Frames as `name path` (path relative to the repository or node_modules), tried in this order. */
const RULES: Array<[WorkKind, RegExp]> = [
  ['garbage collection', /^\(garbage collector\) /],
  ['socket writes', /^(writev|writeLatin1String|writeUtf8String|writeBuffer|writeGeneric|writevGeneric|Socket\._write\w*) /],
  ['mapping', /src\/engine\/mapping\/|bench\/handwritten\/|\bjsonata\//],
  // The completer's closures are often inlined into shapeRecords, whose own work is little else.
  ['completion (unified format)', /src\/formats\/|^shapeRecords src\/unified\/list|^complete bench\/reference\//],
  ['JSON.stringify of the page', /^send (src\/routes|bench\/reference)\//],
  ['vendor body JSON.parse', /^parseBody src\/|^call bench\/reference\/vendor-client/],
  ['cursor signing', /src\/engine\/cursor|bench\/reference\/cursor|node-digests/],
  [
    'vendor call (undici, retries, deadlines)',
    /node_modules\/undici\/|src\/engine\/http\/|src\/engine\/vendor-call|p-retry|bench\/reference\/vendor-client/,
  ],
  [
    'middleware, routing, query validation',
    /node_modules\/(hono|zod|qs|@hono\/zod-openapi|@hono\/zod-validator)\/|src\/routes\/|src\/unified\/query/,
  ],
  ['HTTP server (node:http, @hono/node-server)', /^\S* node:_http|node_modules\/@hono\/node-server\/|bench\/reference\/server/],
  ['rest of the engine, accounts, tokens', /src\//],
]

function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const path = frame.url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/')
  return `${frame.functionName || '(anonymous)'} ${path}`
}

/** Sampled ms per kind of work (idle excluded). */
export function workOf(profile: CpuProfile): Record<WorkKind, number> {
  attributeBundleFrames(profile)
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id)
  const kindOf = new Map<number, WorkKind | null>()
  const classify = (id: number): WorkKind | null => {
    if (kindOf.has(id)) return kindOf.get(id)!
    const node = byId.get(id)!
    const name = frameName(node.callFrame)
    const rule = RULES.find(([, re]) => re.test(name))
    const up = parent.get(id)
    const kind =
      node.callFrame.functionName === '(idle)'
        ? null
        : rule
          ? rule[0]
          : up === undefined
            ? 'other (Node internals, promises, V8)'
            : classify(up)
    kindOf.set(id, kind)
    return kind
  }
  const out = Object.fromEntries(WORK_KINDS.map((k) => [k, 0])) as Record<WorkKind, number>
  // Sample 0's delta is the profiler starting itself (see summarizeProfile).
  for (let i = 1; i < profile.samples.length; i++) {
    const kind = classify(profile.samples[i])
    if (kind) out[kind] += (profile.timeDeltas[i] ?? 0) / 1000
  }
  return out
}

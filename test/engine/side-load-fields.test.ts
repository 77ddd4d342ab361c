/**
 * A side load that names its `fields` keeps only those paths of each vendor record
 * (src/engine/side-loads.ts). The list is written by hand beside the mapping that reads the side
 * load, so a mapping edited to read one more field would silently get nothing. Two checks:
 *
 * 1. Through the gateway, on each such connector's simulator: the users listed with the fields as
 *    declared equal the users listed with every `fields` list removed (whole records kept).
 * 2. On the mapping inputs of that second walk (whole side-load records): for every field name the
 *    mapping's text holds, and every record key path, the side-load records are damaged the way a
 *    vendor's rows differ (the field deleted, or set to null, 0, 5, false or text, on every
 *    row); the mapping must answer the same on the damaged input as on it with the side loads cut
 *    to their fields. The sweep runs on the rows as listed, with every number zeroed, and with
 *    each kept field deleted, so a read hidden behind another (`a or b`, `$exists(a) ? a : b`)
 *    is reached too. A path a mapping reads but its `fields` omits makes some damage differ, even
 *    where the simulator's own data never exercises it (a fallback field, say).
 * Deterministic: the damage is a fixed sweep, not random.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setImmediate as turnOfTheLoop } from 'node:timers/promises'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ANALYTICS_API_KEY } from '../../connectors/claude/simulator'
import { connectorModules } from '../../connectors'
import type { SideLoadSpec } from '../../src/engine/connector-types'
import { evaluateFast, type MappingInput } from '../../src/engine/mapping/mapping-engine'
import { pathPicker } from '../../src/lib/pick-paths'
import { createAccount, routeVendor, startVendorSimulator, USERS_PATH, useGateway } from '../connectors/support/vendor-accounts'
import { walkAll } from '../support/gateway'
import { compileBoth, recordMappingInputs } from './support/mapping-differential'
import { keyPaths } from './support/key-paths'
import { fieldNames } from './support/mutate-input'

const seen = recordMappingInputs(40)
const MAPPINGS = join(__dirname, '../../mappings')

/** Every side-load spec in a connector definition that names its fields, by the name a mapping reads it under. */
function specsWithFields(value: unknown, found = new Map<SideLoadSpec, string>()): Map<SideLoadSpec, string> {
  if (value === null || typeof value !== 'object') return found
  for (const [key, child] of Object.entries(value)) {
    if (key === 'sideLoads' && child && typeof child === 'object') {
      for (const [name, spec] of Object.entries(child as Record<string, SideLoadSpec>)) if (spec.fields) found.set(spec, name)
    } else specsWithFields(child, found)
  }
  return found
}

const DAY = 86_400_000
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10)

interface Case {
  connector: string
  /** The account's context beyond the simulator's credentials. */
  context?: () => Record<string, string>
  query: string
  /** A record field the side loads feed: the comparison is empty without a value in it. */
  fed: (user: any) => unknown
}

const CASES: Case[] = [
  { connector: 'claude', query: `date=${daysAgo(5)}`, fed: (u) => u.last_active_at },
  {
    connector: 'claude',
    context: () => ({ analytics_api_key: ANALYTICS_API_KEY }),
    query: `date=${daysAgo(6)}`,
    fed: (u) => u.last_active_at,
  },
  { connector: 'cursor', query: '', fed: (u) => u.spend_limit ?? u.last_active_at },
]

const DELETE = Symbol('delete')
const VALUES: unknown[] = [DELETE, null, 0, 5, false, 'x']

/** A copy of the rows with `path` set to `value` (or deleted) on every row, wherever its parent is an object. */
function damaged(rows: unknown[], path: string[], value: unknown): unknown[] {
  const set = (node: unknown, rest: string[]): unknown => {
    if (Array.isArray(node)) return node.map((item) => set(item, rest))
    if (node === null || typeof node !== 'object') return node
    const copy: Record<string, unknown> = { ...(node as Record<string, unknown>) }
    const [head, ...tail] = rest
    if (tail.length > 0) {
      if (head in copy) copy[head] = set(copy[head], tail)
    } else if (value === DELETE) delete copy[head]
    else copy[head] = value
    return copy
  }
  return rows.map((row) => set(row, path))
}

/** Every text value inside a record. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value === null || typeof value !== 'object') return []
  return Object.values(value).flatMap(texts)
}

/** A copy of the rows with every number in them 0. */
function zeroed(value: unknown): any {
  if (Array.isArray(value)) return value.map(zeroed)
  if (typeof value === 'number') return 0
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, zeroed(v)]))
}

describe('side loads cut to their fields answer as whole records do', () => {
  const holder = useGateway()
  const removed: Array<[SideLoadSpec, string[]]> = []
  const closers: Array<() => Promise<void> | void> = []
  afterEach(() => {
    // Restored whatever happened: the connector objects are shared with the gateway's other requests.
    for (const [spec, fields] of removed.splice(0)) spec.fields = fields
  })
  afterAll(async () => {
    for (const close of closers) await close()
  })

  for (const c of CASES) {
    it(
      `${c.connector}${c.context ? ' with its optional keys' : ''}: the same users with and without the fields`,
      { timeout: 120_000 },
      async () => {
        const module = connectorModules.find((m) => m.definition.id === c.connector)!
        const specs = specsWithFields(module.definition)
        expect(specs.size).toBeGreaterThan(0)

        const sim = await startVendorSimulator(c.connector, { seed: 11, users: 40 })
        closers.push(() => sim.close())
        routeVendor(holder.g, c.connector, sim.baseUrl)
        /** The users list of a new account on the simulator. */
        const listOfNewAccount = async () => {
          const created = await createAccount(holder.g, c.connector, { ...sim.context, ...sim.credentials, ...c.context?.() })
          expect(created.status, JSON.stringify(created.body)).toBe(201)
          return `${USERS_PATH}?integrated_account_id=${encodeURIComponent(created.body.id)}&limit=15${c.query ? `&${c.query}` : ''}`
        }

        const cut = await walkAll(holder.g, await listOfNewAccount())
        for (const spec of specs.keys()) {
          removed.push([spec, spec.fields!])
          delete spec.fields
        }
        seen.clear()
        // Another account: the gateway keeps each account's side-load keys, built with the fields.
        const whole = await walkAll(holder.g, await listOfNewAccount())
        expect(cut.records.length).toBeGreaterThan(0)
        expect(cut.records.some((u) => c.fed(u) !== null && c.fed(u) !== undefined)).toBe(true)
        expect(cut.records).toEqual(whole.records)

        // 2. The damage sweep over the mapping inputs of the whole-record walk.
        const pickers = [...specs].map(([spec, name]) => {
          const fields = removed.find(([s]) => s === spec)![1]
          return { name, fields, pick: pathPicker(fields) }
        })
        const cutInput = (input: MappingInput): MappingInput => {
          const sideload = { ...input.sideload }
          for (const { name, pick } of pickers) if (Array.isArray(sideload[name])) sideload[name] = (sideload[name] as unknown[]).map(pick)
          return { ...input, sideload }
        }
        let compared = 0
        for (const [file, inputs] of seen) {
          const withRows = (inputs as MappingInput[]).filter((i) => pickers.some(({ name }) => Array.isArray(i.sideload?.[name])))
          if (withRows.length === 0) continue
          const text = readFileSync(join(MAPPINGS, file), 'utf8')
          // The engine's own evaluation (compiled closures, jsonata where they step aside): fast enough to sweep.
          const loaded = compileBoth(text)
          const answer = async (input: MappingInput) => {
            try {
              return JSON.stringify(await evaluateFast(loaded, input, file))
            } catch (err) {
              return `threw ${(err as Error).message}`
            }
          }
          for (const input of withRows.slice(0, 1)) {
            for (const { name } of pickers) {
              const listed = input.sideload?.[name]
              if (!Array.isArray(listed)) continue
              // A few rows are enough (each damage hits every row) and keep the sweep to seconds, but
              // they must be rows the listed users join to: rows sharing a key-like text with the page,
              // one found in few rows (an email, an id), not one most rows hold (a role, a plan).
              const page = JSON.stringify(input.response)
              const rowsHolding = new Map<string, number>()
              for (const row of listed) for (const t of new Set(texts(row))) rowsHolding.set(t, (rowsHolding.get(t) ?? 0) + 1)
              const keyLike = (t: string) => t.length > 3 && rowsHolding.get(t)! <= Math.max(1, listed.length / 10)
              const joined = listed.filter((row) => texts(row).some((t) => keyLike(t) && page.includes(JSON.stringify(t))))
              const rows = (joined.length > 0 ? joined : listed).slice(0, 12)
              const present = new Set(keyPaths(rows))
              // The names the mapping's code holds (its comments left out), which may be missing from the rows.
              const paths = new Set([...present, ...fieldNames(text.replace(/\/\*[\s\S]*?\*\//g, ''))])
              const kept = pickers.find((p) => p.name === name)!.fields.filter((f) => present.has(f))
              // A read can hide behind another: `a or b` reads b only when a is falsy, `$exists(a) ? a : b`
              // only when a is missing. So the sweep also runs on rows with every number zeroed, and on
              // rows with each kept field deleted.
              const bases: Array<[string, unknown[]]> = [
                ['as listed', rows],
                ['numbers zeroed', zeroed(rows)],
                ...kept.map((f): [string, unknown[]] => [`${f} deleted`, damaged(rows, f.split('.'), DELETE)]),
              ]
              for (const [base, baseRows] of bases) {
                for (const path of paths) {
                  // The gateway runs in this process: a sweep that never leaves the microtask queue
                  // would hold its timers for seconds, and the next request would then go out on a
                  // kept-alive connection the server closes as it arrives (ECONNRESET).
                  await turnOfTheLoop()
                  for (const value of VALUES) {
                    const damagedInput = { ...input, sideload: { ...input.sideload, [name]: damaged(baseRows, path.split('.'), value) } }
                    const [full, cut] = [await answer(damagedInput), await answer(cutInput(damagedInput))]
                    const what = `${file}: sideload.${name}, ${base}, with ${path} ${value === DELETE ? 'deleted' : `= ${String(value)}`}`
                    expect(cut, what).toBe(full)
                    compared++
                  }
                }
              }
            }
          }
        }
        expect(compared).toBeGreaterThan(0)
      },
    )
  }
})

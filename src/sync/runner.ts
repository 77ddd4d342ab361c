/**
 * Executes one run: walks every page of every resource of the job through the engine (which
 * already retries 429/5xx), commits each page's records with the checkpoint, and at the end of a
 * complete walk marks what was not seen as deleted (snapshot resources) or moves the job's
 * watermark to the end of the window synced (window resources, src/sync/sync-window.ts). The run holds its lease throughout; a run
 * interrupted in any way resumes from its last committed page, in this process or another.
 * Given a budget (src/sync/run-budget.ts), a run stops at the page boundary where it is spent
 * and hands its lease over for the invocation that continues it (src/sync/run-queue.ts).
 */
import { eq } from 'drizzle-orm'
import { EVERY_TENANT } from '../accounts/tenant-scope'
import { syncJobRuns, syncJobs, type SyncJobRunRow } from '../db/schema'
import { fetchGatewayPage, firstPosition } from '../engine/list-engine'
import { checkpointFromJson, checkpointToJson, firstCheckpoint, type Checkpoint } from '../engine/position-codec'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import { goneWhenAborted, resolveTarget, startListWalk, withAccountOutcome } from '../unified/target'
import type { JobResource } from './api-schemas'
import { planDeletions } from './deletions'
import { collectSeenKeys, forgetSeen, seenDuplicates } from './run-seen'
import type { StopReason, SyncHost } from './host'
import { findJob, jobResources } from './job-store'
import { acquireLease, isFenceFailure, newLeaseOwner, renewLease } from './lease'
import type { OutboxEvent } from './outbox'
import { budgetMeter, type BudgetMeter, type RunBudget } from './run-budget'
import { diffPage, type RunScope } from './page-writer'
import { DEFAULT_INITIAL_DAYS, runWindow, windowQuery } from './sync-window'
import { errorOf, finishPatch, runEvent, runWriter, type RunWriter } from './run-writes'
import type { AtomicStatement } from '../db/atomic'
import type { ListMethodSpec } from '../engine/connector-types'

/**
 * Per-resource bookkeeping kept on the job between runs: deletions held back (snapshot), the
 * day the last complete run's window ended (window).
 */
type JobState = Record<string, { heldEmpty?: boolean; watermark?: string }>

class RunCancelled extends Error {}
/** The invocation's budget is spent: the run continues in another. */
class RunYielded extends Error {}

/** How one invocation of a run ended. */
export type RunOutcome =
  /** The run is over: succeeded, failed or cancelled. */
  | { kind: 'ended' }
  /** The budget was spent at a page boundary: checkpoint committed, lease handed to `owner`. */
  | { kind: 'yielded'; owner: string }
  /** Left to another runner: the lease was not to be had or was lost, or shutdown parked the run. */
  | { kind: 'left' }

const ENDED: RunOutcome = { kind: 'ended' }
const LEFT: RunOutcome = { kind: 'left' }

export interface RunInvocation {
  /** The time the lease is judged by (a scheduler passes its tick time); default now. */
  now?: number
  /** Who runs it; default this process. A queue message names the owner the lease was handed to. */
  owner?: string
  /** Without one, the run goes to its end. */
  budget?: RunBudget
}

/**
 * Runs (or resumes) `runId` if its lease can be had; resolves when this process is done with it.
 * `now` is the time the lease is judged by (a scheduler passes its tick time).
 */
export async function executeRun(services: GatewayServices, runId: string, now = Date.now()): Promise<void> {
  const running = services.syncHost.runs.get(runId)
  if (running) return running.done
  await executeRunWithin(services, runId, { now })
}

/** One invocation of `runId`: to its end, or (with a budget) until the budget is spent. */
export async function executeRunWithin(services: GatewayServices, runId: string, invocation: RunInvocation = {}): Promise<RunOutcome> {
  const host = services.syncHost
  if (host.runs.has(runId) || host.closing) return LEFT
  const abort = new AbortController()
  let finished!: () => void
  // Registered before the first await, so a second call in this process joins this one.
  host.runs.set(runId, { abort, done: new Promise<void>((resolve) => (finished = resolve)) })
  try {
    const owner = invocation.owner ?? host.owner
    const leased = await acquireLease(services, runId, owner, invocation.now ?? Date.now(), host.settings.UNIMETER_SYNC_LEASE_MS)
    return leased ? await runLeased(services, host, leased, owner, abort, budgetMeter(invocation.budget)) : LEFT
  } finally {
    host.runs.delete(runId)
    finished()
  }
}

async function runLeased(
  services: GatewayServices,
  host: SyncHost,
  row: SyncJobRunRow,
  owner: string,
  abort: AbortController,
  meter: BudgetMeter,
): Promise<RunOutcome> {
  const ttl = host.settings.UNIMETER_SYNC_LEASE_MS
  const writer = runWriter(services, row, owner, ttl)
  const heartbeat = setInterval(
    () => {
      renewLease(services, row.id, owner, ttl)
        .then((held) => held || abort.abort('lease-lost' satisfies StopReason))
        .catch((err) => services.logger.warn('sync lease renewal failed', { run: row.id, error: (err as Error).message }))
    },
    Math.max(250, Math.floor(ttl / 3)),
  )
  try {
    const found = await findJob(services, row.syncJobId)
    if (!found) throw new ApiError(404, 'sync_job_not_found', `Sync job ${row.syncJobId} no longer exists`)
    if (row.status === 'created') {
      const patch = { status: 'running', startedAt: new Date().toISOString() }
      await writer.commit([], patch, [runEvent('sync_job_run:started', { ...writer.row, ...patch })])
    }
    const resources = jobResources(found.job)
    const checkpoint = row.checkpoint ? checkpointFromJson(row.checkpoint) : firstCheckpoint()
    const state = JSON.parse(found.job.state) as JobState
    while (checkpoint.resourceIndex < resources.length) {
      if (meter.spent()) throw new RunYielded()
      await walkResource(services, writer, resources[checkpoint.resourceIndex], state, checkpoint, abort.signal, meter)
    }
    await complete(services, writer, found.job.state, resources, checkpoint)
    return ENDED
  } catch (err) {
    if (err instanceof RunYielded) return await handOver(services, writer, ttl)
    return await stop(services, writer, err, abort.signal.reason as StopReason | undefined)
  } finally {
    clearInterval(heartbeat)
  }
}

/**
 * Hands the lease to a new owner for the invocation that continues the run, fenced like every
 * write: only while the lease is still this runner's. Until that invocation takes it up, nobody
 * else may start the run; if it never comes, the lease lapses and the scheduler resumes the run.
 */
async function handOver(services: GatewayServices, writer: RunWriter, ttl: number): Promise<RunOutcome> {
  const owner = newLeaseOwner()
  try {
    await writer.commit([], { leaseOwner: owner, leaseExpiresAt: Date.now() + ttl })
  } catch (err) {
    if (!isFenceFailure(err)) throw err
    return leaseLost(services, writer)
  }
  return { kind: 'yielded', owner }
}

function leaseLost(services: GatewayServices, writer: RunWriter): RunOutcome {
  services.logger.warn('sync run lost its lease to another runner; stopping', { run: writer.runId, job: writer.row.syncJobId })
  return LEFT
}

function scopeOf(services: GatewayServices, row: SyncJobRunRow, entry: JobResource): RunScope {
  const [model, name] = entry.resource.split('/')
  const resource = services.models.get(model, name)
  if (!resource) throw new ApiError(400, 'unknown_resource', `The job names ${entry.resource}, which this gateway no longer has`)
  return { accountId: row.integratedAccountId, jobId: row.syncJobId, runId: row.id, resource, resourceKey: entry.resource }
}

async function cancelRequested(services: GatewayServices, runId: string): Promise<boolean> {
  const rows = await services.db.select({ cancel: syncJobRuns.cancelRequested }).from(syncJobRuns).where(eq(syncJobRuns.id, runId)).limit(1)
  return rows[0]?.cancel === true
}

/**
 * A window-mode resource's window as list parameters, fixed in the checkpoint when its walk
 * starts (and committed with its first page), so a resumed run walks the same window.
 */
function windowParams(
  scope: RunScope,
  spec: ListMethodSpec,
  entry: JobResource,
  state: JobState,
  checkpoint: Checkpoint,
): Record<string, string> {
  const sync = scope.resource.sync
  if (sync.mode !== 'window') return {}
  const windows = (checkpoint.windows ??= {})
  windows[scope.resourceKey] ??= runWindow(
    sync,
    state[scope.resourceKey]?.watermark,
    entry.window?.initial_days ?? DEFAULT_INITIAL_DAYS,
    Date.now(),
    spec.windows?.maxRangeDays,
  )
  return windowQuery(sync, windows[scope.resourceKey], spec.windows?.range)
}

/** Walks one resource from the checkpoint to its last page, committing page by page. */
async function walkResource(
  services: GatewayServices,
  writer: RunWriter,
  entry: JobResource,
  state: JobState,
  checkpoint: Checkpoint,
  signal: AbortSignal,
  meter: BudgetMeter,
): Promise<void> {
  const scope = scopeOf(services, writer.row, entry)
  const target = await resolveTarget(services, scope.accountId, EVERY_TENANT, scope.resource, 'list', goneWhenAborted(signal))
  const { spec, session } = target
  const { remote_query: remoteQuery, limit, ...params } = entry.query ?? {}
  const pageSize = typeof limit === 'number' ? limit : spec.pageSize.default
  const window = windowParams(scope, spec, entry, state, checkpoint)
  const walk = startListWalk(services, target, spec, {
    unifiedQuery: { ...params, ...window, limit: pageSize },
    rawQuery: { ...entry.query, ...window },
    remoteQuery: (remoteQuery ?? {}) as Record<string, unknown>,
  })
  // A vendor 401 marks the account needs_reauth (pausing its jobs) and fires the event.
  await withAccountOutcome(services, target, async () => {
    let position = checkpoint.next ?? firstPosition(spec, pageSize)
    for (;;) {
      if (signal.aborted || (await cancelRequested(services, writer.runId))) throw new RunCancelled()
      if (meter.spent()) throw new RunYielded()
      // Each page gets a whole request deadline: a sync is many requests' worth of work.
      session.deadline = Date.now() + services.settings.UNIMETER_REQUEST_DEADLINE_MS
      const page = await fetchGatewayPage(walk, position, { limit: pageSize, wholeVendorPage: true }, 1)
      const now = new Date().toISOString()
      const diff = await diffPage(services, scope, page.records, now)
      if (diff.skipped > 0)
        services.logger.warn('records without a usable key were not synced', {
          run: writer.runId,
          resource: scope.resourceKey,
          skipped: diff.skipped,
        })
      for (const record of diff.tooLarge)
        services.logger.error('record too large to store; not synced (src/db/d1-limits.ts)', {
          run: writer.runId,
          resource: scope.resourceKey,
          record_id: record.id,
          bytes: record.bytes,
          limit_bytes: record.limit,
        })
      checkpoint.seen[scope.resourceKey] = (checkpoint.seen[scope.resourceKey] ?? 0) + diff.newlySeen
      checkpoint.partial ||= page.isPartial
      if (page.next) checkpoint.next = page.next
      else Object.assign(checkpoint, { resourceIndex: checkpoint.resourceIndex + 1, next: null })
      const row = writer.row
      await writer.commit(
        diff.statements,
        {
          checkpoint: checkpointToJson(checkpoint),
          pagesFetched: row.pagesFetched + 1,
          added: row.added + diff.counts.added,
          updated: row.updated + diff.counts.updated,
          unchanged: row.unchanged + diff.counts.unchanged,
        },
        diff.events,
      )
      meter.page()
      if (!page.next) break
      position = page.next
    }
  })
}

/** The walk reached the end: deletions (unless partial), job state, run succeeded. */
async function complete(
  services: GatewayServices,
  writer: RunWriter,
  stateText: string,
  resources: JobResource[],
  checkpoint: Checkpoint,
): Promise<void> {
  const statements: AtomicStatement[] = []
  const events: OutboxEvent[] = []
  let deleted = 0
  let held = false
  /** Unchanged records counted more than once (src/sync/run-seen.ts): known from the seen keys' copy. */
  let duplicates = 0
  if (!checkpoint.partial) {
    const state = JSON.parse(stateText) as JobState
    const now = new Date().toISOString()
    for (const entry of resources) {
      const key = entry.resource
      const scope = scopeOf(services, writer.row, entry)
      if (scope.resource.sync.mode === 'window') {
        // Nothing is deleted by absence; the next run continues from where this window ended.
        const window = checkpoint.windows?.[key]
        if (window) state[key] = { watermark: window.end }
        continue
      }
      const seen = await collectSeenKeys(services, writer.runId, key)
      try {
        duplicates += seen?.duplicates ?? 0
        const plan = await planDeletions(services, scope, checkpoint.seen[key] ?? 0, state[key]?.heldEmpty === true, now, undefined, seen)
        statements.push(...plan.statements)
        events.push(...plan.events)
        deleted += plan.deleted
        held ||= plan.held
        if (plan.held) state[key] = { heldEmpty: true }
        else delete state[key]
      } finally {
        await seen?.release()
      }
    }
    statements.push(
      services.db
        .update(syncJobs)
        .set({ state: JSON.stringify(state) })
        .where(eq(syncJobs.id, writer.row.syncJobId)),
    )
  } else duplicates = await seenDuplicates(services, writer.runId)
  statements.push(forgetSeen(services, writer.runId))
  const patch = finishPatch('succeeded', {
    deleted: writer.row.deleted + deleted,
    unchanged: writer.row.unchanged - duplicates,
    isPartial: checkpoint.partial,
    deletionsHeld: held,
  })
  await writer.commit(statements, patch, [...events, runEvent('sync_job_run:completed', { ...writer.row, ...patch })])
}

/** Ends (or parks) a run that did not complete, according to why. */
async function stop(services: GatewayServices, writer: RunWriter, err: unknown, reason: StopReason | undefined): Promise<RunOutcome> {
  const log = { run: writer.runId, job: writer.row.syncJobId }
  if (reason === 'lease-lost' || isFenceFailure(err)) return leaseLost(services, writer)
  try {
    if (reason === 'shutdown') {
      // Still running, lease free: the next start (or another process) resumes it at once.
      await writer.commit([], { leaseOwner: null, leaseExpiresAt: null })
      return LEFT
    }
    // The run is over: its seen rows go with the commit that says so, and its counts are exact.
    const duplicates = await seenDuplicates(services, writer.runId).catch((countErr: Error) => {
      services.logger.warn('sync run could not count its unchanged records listed twice', { ...log, error: countErr.message })
      return 0
    })
    const unchanged = writer.row.unchanged - duplicates
    if (reason === 'cancel' || err instanceof RunCancelled) {
      await writer.commit([forgetSeen(services, writer.runId)], finishPatch('cancelled', { unchanged }))
    } else {
      const patch = finishPatch('failed', { error: JSON.stringify(errorOf(err)), unchanged })
      services.logger.warn('sync run failed', { ...log, error: errorOf(err).message })
      await writer.commit([forgetSeen(services, writer.runId)], patch, [runEvent('sync_job_run:failed', { ...writer.row, ...patch })])
    }
  } catch (writeErr) {
    if (!isFenceFailure(writeErr))
      services.logger.error('sync run could not record its end', { ...log, error: (writeErr as Error).message })
  }
  return ENDED
}

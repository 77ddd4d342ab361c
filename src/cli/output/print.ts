/** Printing what the gateway answers: `{result, next_cursor}` lists page by page, and objects. */
import type { CliContext } from '../context'
import { recordWriter, renderObject, renderRecords } from './render'

type Row = Record<string, unknown>

export interface PageOptions {
  /** Follow next_cursor to the last page. */
  all: boolean
  /** The stderr line telling how to get the next page. */
  hint: (cursor: string) => string
}

/**
 * One page of a list (or every page with `all`) as records; the next-page hint goes to stderr.
 * An answer that is not a record list (raw or debug formats, truto_key_by) is printed whole.
 */
export async function printPages(ctx: CliContext, path: string, query: Row, options: PageOptions): Promise<void> {
  const writer = recordWriter(ctx.output, ctx.out)
  let cursor = query.next_cursor as string | undefined
  for (;;) {
    const body = await ctx.client.json<{ result?: unknown; next_cursor?: string | null }>('GET', path, {
      query: { ...query, ...(cursor ? { next_cursor: cursor } : {}) },
    })
    if (!body || !Array.isArray(body.result)) {
      ctx.out(renderObject((body ?? {}) as Row, ctx.output === 'table' ? 'json' : ctx.output))
      return
    }
    writer.write(body.result as Row[])
    cursor = body.next_cursor ?? undefined
    if (!options.all || !cursor) break
  }
  writer.end()
  if (cursor) ctx.err(`${options.hint(cursor)}\n`)
}

/** A platform list (`GET /integrated-account`, `/webhook`, …): `--next-cursor` continues it. */
export function printList(ctx: CliContext, path: string, query: Row, all: boolean): Promise<void> {
  return printPages(ctx, path, query, { all, hint: (c) => `Next page: --next-cursor ${c}` })
}

export function printObject(ctx: CliContext, obj: unknown): void {
  ctx.out(renderObject((obj ?? {}) as Row, ctx.output))
}

/** Any JSON value: records and objects in the chosen format, scalars as JSON. */
export function printValue(ctx: CliContext, value: unknown): void {
  const isRow = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v)
  if (Array.isArray(value) && value.every(isRow)) ctx.out(renderRecords(value as Row[], ctx.output))
  else if (isRow(value)) printObject(ctx, value)
  else ctx.out(`${value === undefined ? '(no result)' : JSON.stringify(value, null, 2)}\n`)
}

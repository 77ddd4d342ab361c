/**
 * The CLI's failures and their exit codes: 1 when the gateway, the vendor or an expression
 * failed (the error envelope goes to stderr), 2 when the command line itself is wrong (with a
 * hint saying what to type instead).
 */

export const EXIT_OK = 0
const EXIT_API = 1
export const EXIT_USAGE = 2
/** Interrupted by Ctrl-C (128 + SIGINT), as shells report it. */
const EXIT_INTERRUPTED = 130

/** A command line that cannot work as typed. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

/** The gateway answered with an error envelope (or something that is not one). */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly envelope: unknown,
    readonly request: string,
  ) {
    const e = envelope as { message?: unknown } | null
    super(typeof e?.message === 'string' ? e.message : `HTTP ${status}`)
    this.name = 'ApiCallError'
  }
}

/** The gateway could not be reached at all. */
export class ConnectionError extends Error {
  constructor(
    readonly apiUrl: string,
    cause: unknown,
  ) {
    const reason = (cause as { cause?: { code?: string; message?: string } })?.cause
    super(
      `Cannot reach the gateway at ${apiUrl}${reason?.code ? ` (${reason.code})` : ''}: is it running? Start one with \`unimeter serve\`, or pass --api-url.`,
    )
    this.name = 'ConnectionError'
  }
}

/** Something the CLI ran locally failed (a JSONata expression, a mapping file, a file write). */
export class LocalError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LocalError'
  }
}

/** The user stopped the command (Ctrl-C); what was done is already reported. */
export class InterruptedError extends Error {
  constructor() {
    super('Interrupted')
    this.name = 'InterruptedError'
  }
}

/** Writes the failure to stderr the way a person (or a script reading stderr) needs it. */
export function reportError(err: unknown, write: (text: string) => void, verbose: boolean): number {
  if (err instanceof InterruptedError) return EXIT_INTERRUPTED
  if (err instanceof UsageError) {
    write(`error: ${err.message}\n`)
    if (err.hint) write(`hint: ${err.hint}\n`)
    return EXIT_USAGE
  }
  if (err instanceof ApiCallError) {
    write(`error: ${err.request} failed with HTTP ${err.status}\n`)
    write(`${typeof err.envelope === 'string' ? err.envelope : JSON.stringify(err.envelope, null, 2)}\n`)
    return EXIT_API
  }
  if (err instanceof ConnectionError || err instanceof LocalError) {
    write(`error: ${err.message}\n`)
    return EXIT_API
  }
  const e = err as Error
  write(`error: ${e?.message ?? String(err)}\n`)
  if (verbose && e?.stack) write(`${e.stack}\n`)
  return EXIT_API
}

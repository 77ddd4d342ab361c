/**
 * A small structured logger: one JSON line per event on stderr, secrets scrubbed from every
 * line whatever the level (by the gateway's Redactor).
 */

type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

export type LogSink = (line: string) => void

export function createLogger(
  level: LogLevel,
  sink: LogSink = (line) => console.error(line),
  redact: (line: string) => string = (line) => line,
): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return
    let line: string
    try {
      line = JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields })
    } catch {
      line = JSON.stringify({ time: new Date().toISOString(), level: at, msg })
    }
    sink(redact(line))
  }
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  }
}

/**
 * Where a JSONata expression failed, shown the way an editor would: line and column, the line
 * itself, and a caret under the offending token. JSONata reports `position` as the offset just
 * past the token, so the caret goes on the character before it.
 */
import { MappingError } from '../../engine/mapping/mapping-engine'
import { LocalError } from '../errors'

function pointAt(source: string, position: number): string {
  const index = Math.min(Math.max(position - 1, 0), Math.max(source.length - 1, 0))
  const before = source.slice(0, index)
  const line = before.split('\n').length
  const lineStart = before.lastIndexOf('\n') + 1
  const lineEnd = source.indexOf('\n', index) === -1 ? source.length : source.indexOf('\n', index)
  const column = index - lineStart + 1
  const gutter = `${line} | `
  return [
    `line ${line}, column ${column}:`,
    `  ${gutter}${source.slice(lineStart, lineEnd)}`,
    `  ${' '.repeat(gutter.length + column - 1)}^`,
  ].join('\n')
}

/**
 * A MappingError as a LocalError naming the expression's source, what JSONata said, and where.
 * (The engine's message starts "Mapping <file> failed at position N: "; the position is shown
 * as line and column instead.)
 */
export function expressionFailure(err: unknown, source: string, name: string): unknown {
  if (!(err instanceof MappingError)) return err
  const reason = err.message.replace(/^Mapping .*? (does not compile|failed) at position \S+: /, '')
  const stage = /does not compile/.test(err.message) ? 'does not compile' : 'failed'
  if (err.position === undefined) return new LocalError(`${name} ${stage}: ${reason}`)
  return new LocalError(`${name} ${stage} at ${pointAt(source, err.position)}\n${reason}`)
}

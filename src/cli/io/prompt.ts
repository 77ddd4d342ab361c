/**
 * Asking for a secret on a terminal without echoing it: the terminal goes to raw mode, typed
 * characters are collected but never written, and the terminal is restored however it ends.
 */
import type { CliIO } from '../context'
import { InterruptedError, UsageError } from '../errors'

export function canPrompt(io: CliIO): boolean {
  return io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function'
}

export function promptHidden(io: CliIO, question: string): Promise<string> {
  if (!canPrompt(io)) throw new UsageError('Cannot prompt: standard input is not a terminal.')
  const stdin = io.stdin
  // Raw mode before the question: keys typed ahead of the prompt must not be echoed either.
  stdin.setRawMode?.(true)
  io.stderr.write(question)
  return new Promise((resolve, reject) => {
    let value = ''
    const finish = (err?: Error) => {
      stdin.removeListener('data', onData)
      stdin.setRawMode?.(false)
      stdin.pause()
      io.stderr.write('\n')
      if (err) reject(err)
      else resolve(value)
    }
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish()
        if (ch === '\u0003') return finish(new InterruptedError())
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else if (ch >= ' ') value += ch
      }
    }
    stdin.resume()
    stdin.on('data', onData)
  })
}

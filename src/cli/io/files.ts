/** Reading the JSON files commands take as input (`-` is standard input). */
import { readFile } from 'node:fs/promises'
import type { CliIO } from '../context'
import { UsageError } from '../errors'

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = ''
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
  return text
}

export async function readText(io: CliIO, path: string, flag: string): Promise<string> {
  if (path === '-') return readAll(io.stdin)
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new UsageError(`${flag} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
}

export async function readJsonFile(io: CliIO, path: string, flag: string): Promise<unknown> {
  const text = await readText(io, path, flag)
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new UsageError(`${flag} ${path} is not valid JSON: ${(err as Error).message}`)
  }
}

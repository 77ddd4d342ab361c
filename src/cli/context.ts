/**
 * What every command works with: the process's streams and environment (passed in, so nothing
 * reaches for globals), and the global options resolved into an API client and an output format.
 */
import type { Command } from 'commander'
import { UsageError } from './errors'
import { ApiClient } from './http/client'
import { OUTPUT_FORMATS, type OutputFormat } from './output/render'
import { selectProfile } from './profiles'

export const DEFAULT_API_URL = 'http://127.0.0.1:8787'

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown }
  env: Record<string, string | undefined>
}

export interface GlobalOptions {
  apiUrl?: string
  token?: string
  profile?: string
  output?: OutputFormat
  verbose?: boolean
}

export interface CliContext {
  io: CliIO
  apiUrl: string
  /** The API token in use, if any (whoami shows a fingerprint of it). */
  token?: string
  /** The -o format, or the default: table on a terminal, json when piped. */
  output: OutputFormat
  /** Whether -o was given (commands with their own default, such as export, need to know). */
  outputGiven: boolean
  verbose: boolean
  client: ApiClient
  out(text: string): void
  err(text: string): void
}

function checkApiUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UsageError(`--api-url "${raw}" is not a URL.`, `use the gateway's base URL, e.g. --api-url ${DEFAULT_API_URL}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--api-url must be http or https, got ${url.protocol}`, `e.g. --api-url ${DEFAULT_API_URL}`)
  }
  return raw.replace(/\/+$/, '')
}

/** `useProfiles: false` for `login`, whose --profile names the profile it is about to save. */
export function cliContext(cmd: Command, io: CliIO, { useProfiles = true } = {}): CliContext {
  const opts = cmd.optsWithGlobals<GlobalOptions>()
  // Flags first; then a profile named by --profile/UNIMETER_PROFILE; then the variables; then
  // the "default" profile; then the built-in URL.
  const { profile, explicit } = useProfiles ? selectProfile(io.env, opts.profile) : { profile: undefined, explicit: false }
  const named = explicit ? profile : undefined
  const apiUrl = checkApiUrl(opts.apiUrl ?? named?.api_url ?? io.env.UNIMETER_API_URL ?? profile?.api_url ?? DEFAULT_API_URL)
  const token = opts.token ?? named?.token ?? io.env.UNIMETER_TOKEN ?? profile?.token
  if (opts.output && !OUTPUT_FORMATS.includes(opts.output))
    throw new UsageError(`unknown output format ${opts.output}`, `use one of ${OUTPUT_FORMATS.join(', ')}`)
  const verbose = opts.verbose === true
  const err = (text: string) => void io.stderr.write(text)
  return {
    io,
    apiUrl,
    token,
    output: opts.output ?? (io.stdout.isTTY ? 'table' : 'json'),
    outputGiven: opts.output !== undefined,
    verbose,
    client: new ApiClient({ apiUrl, token, verbose, log: (line) => err(`${line}\n`) }),
    out: (text) => void io.stdout.write(text),
    err,
  }
}

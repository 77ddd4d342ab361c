/**
 * Named profiles: a gateway URL and token saved by `unimeter login`, picked with --profile (or
 * UNIMETER_PROFILE), so switching gateways needs no exported variables. The file holds tokens, so
 * it is written owner-only (0600, in a 0700 directory) and replaced by a rename.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { UsageError } from './errors'

export interface Profile {
  api_url: string
  token: string
}

export const DEFAULT_PROFILE = 'default'

/** UNIMETER_CONFIG, else $XDG_CONFIG_HOME/unimeter/config.json, else ~/.config/unimeter/config.json. */
export function configPath(env: Record<string, string | undefined>): string {
  return env.UNIMETER_CONFIG ?? join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), '.config'), 'unimeter', 'config.json')
}

function readProfiles(env: Record<string, string | undefined>): Record<string, Profile> {
  const path = configPath(env)
  if (!existsSync(path)) return {}
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { profiles?: Record<string, Profile> }
    return parsed.profiles && typeof parsed.profiles === 'object' ? parsed.profiles : {}
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON (${(err as Error).message})`, 'fix it, or delete it and run `unimeter login` again')
  }
}

export function saveProfile(env: Record<string, string | undefined>, name: string, profile: Profile): string {
  const path = configPath(env)
  const profiles = { ...readProfiles(env), [name]: profile }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, `${JSON.stringify({ profiles }, null, 2)}\n`, { mode: 0o600 })
  // mode applies only when the file is created; a leftover temp file keeps its mode otherwise.
  chmodSync(temp, 0o600)
  renameSync(temp, path)
  return path
}

/**
 * The profile a command uses: the one named by --profile or UNIMETER_PROFILE (which must exist),
 * else "default" if saved. `explicit` says a name was given: its values then beat the
 * UNIMETER_API_URL / UNIMETER_TOKEN variables, which otherwise beat the default profile.
 */
export function selectProfile(
  env: Record<string, string | undefined>,
  flag?: string,
): { name: string; profile?: Profile; explicit: boolean } {
  const named = flag ?? env.UNIMETER_PROFILE
  const profiles = readProfiles(env)
  if (named !== undefined) {
    const profile = profiles[named]
    if (!profile)
      throw new UsageError(
        `no profile "${named}" in ${configPath(env)}`,
        `create it with \`unimeter login --profile ${named} --api-url <url>\``,
      )
    return { name: named, profile, explicit: true }
  }
  return { name: DEFAULT_PROFILE, profile: profiles[DEFAULT_PROFILE], explicit: false }
}

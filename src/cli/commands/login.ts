/** `unimeter login` saves a gateway URL and token as a named profile; `whoami` shows which one is in use. */
import type { Command } from 'commander'
import { cliContext, DEFAULT_API_URL, type CliIO, type GlobalOptions } from '../context'
import { UsageError } from '../errors'
import { withExamples } from '../help'
import { canPrompt, promptHidden } from '../io/prompt'
import { printObject } from '../output/print'
import { configPath, DEFAULT_PROFILE, saveProfile, selectProfile } from '../profiles'

/** Enough of a token to tell two apart, never enough to use one. */
const fingerprint = (token: string | undefined) => (token ? `${token.slice(0, 6)}…` : null)

export function registerLogin(program: Command, io: CliIO): void {
  withExamples(
    program
      .command('login')
      .description('Check a gateway URL and API token, then save them as a profile (owner-only file, 0600).')
      .action(async (_opts: unknown, command: Command) => {
        const opts = command.optsWithGlobals<GlobalOptions>()
        const name = opts.profile ?? io.env.UNIMETER_PROFILE ?? DEFAULT_PROFILE
        const apiUrl = opts.apiUrl ?? io.env.UNIMETER_API_URL ?? DEFAULT_API_URL
        let token = opts.token ?? io.env.UNIMETER_TOKEN
        if (!token) {
          if (!canPrompt(io)) throw new UsageError('no token to save', 'pass --token <token> or set UNIMETER_TOKEN')
          token = await promptHidden(io, 'API token (not echoed): ')
        }
        // The pair is tried before it is saved: a wrong URL or token is refused now, not later.
        const ctx = cliContext(
          command,
          { ...io, env: { ...io.env, UNIMETER_API_URL: apiUrl, UNIMETER_TOKEN: token } },
          { useProfiles: false },
        )
        await ctx.client.json('GET', '/integrated-account', { query: { limit: 1 } })
        const path = saveProfile(io.env, name, { api_url: ctx.apiUrl, token })
        ctx.err(`Saved profile "${name}" (${ctx.apiUrl}) in ${path}\n`)
      }),
    [
      'unimeter login --api-url http://127.0.0.1:8787 --token um_…',
      'unimeter login --profile staging --api-url https://unimeter.example.com',
    ],
  )

  withExamples(
    program
      .command('whoami')
      .description('Show the gateway and token in use (and where they come from), and check that the token is accepted.')
      .action(async (_opts: unknown, command: Command) => {
        const ctx = cliContext(command, io)
        const opts = command.optsWithGlobals<GlobalOptions>()
        const { name, profile, explicit } = selectProfile(io.env, opts.profile)
        await ctx.client.json('GET', '/integrated-account', { query: { limit: 1 } })
        printObject(ctx, {
          profile: explicit || profile ? name : null,
          api_url: ctx.apiUrl,
          token: fingerprint(ctx.token),
          config: configPath(io.env),
          authenticated: true,
        })
      }),
    ['unimeter whoami', 'unimeter whoami --profile staging -o json'],
  )
}

/**
 * `unimeter rotate-key`: re-encrypts the gateway's stored secrets under its current key by
 * calling POST /admin/rotate-encryption-key until it answers `done` — the same rotation as
 * `npm run rotate-key`, for a gateway whose database this machine cannot open (Workers, or a
 * server elsewhere). Progress per batch on stderr, the last batch on stdout.
 */
import { InvalidArgumentError, type Command } from 'commander'
import { cliContext, type CliIO } from '../context'
import { withExamples } from '../help'
import { printObject } from '../output/print'

interface RotationBatch {
  reencrypted: { integrated_accounts: number; webhooks: number }
  remaining: number
  done: boolean
}

function batchSize(text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError('a whole number from 1 to 500')
  return n
}

export function registerRotateKey(program: Command, io: CliIO): void {
  withExamples(
    program
      .command('rotate-key')
      .description(
        "Re-encrypt the gateway's stored credentials and webhook secrets under its current encryption key, in batches, " +
          'until none is left on an older key (needs an admin token). Start the gateway with the new key as ' +
          'UNIMETER_ENCRYPTION_KEY, a higher UNIMETER_ENCRYPTION_KEY_VERSION and the old key in ' +
          'UNIMETER_PREVIOUS_ENCRYPTION_KEYS first; remove the old key when this is done. See SECURITY.md.',
      )
      .option('--batch-size <n>', 'rows per request, 1-500 (default 100; under 40 on Workers Free)', batchSize)
      .action(async (opts: { batchSize?: number }, command: Command) => {
        const ctx = cliContext(command, io)
        const query = opts.batchSize ? { limit: opts.batchSize } : undefined
        for (;;) {
          const batch = await ctx.client.json<RotationBatch>('POST', '/admin/rotate-encryption-key', { query })
          const { integrated_accounts: accounts, webhooks } = batch.reencrypted
          ctx.err(`re-encrypted ${accounts} account(s) and ${webhooks} webhook secret(s); ${batch.remaining} left\n`)
          if (batch.done) return printObject(ctx, batch)
          // Rows left that a batch could not take: never loop on them.
          if (accounts + webhooks === 0)
            throw new Error(`${batch.remaining} row(s) remain on an older key, but the last batch re-encrypted none: run rotate-key again`)
        }
      }),
    ['unimeter rotate-key', 'unimeter rotate-key --api-url https://unimeter.example.workers.dev --batch-size 30'],
  )
}

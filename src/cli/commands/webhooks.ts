/** `unimeter webhooks create|list|get|update|delete`: outbound webhooks. */
import type { Command } from 'commander'
import { cliContext, type CliIO } from '../context'
import { UsageError } from '../errors'
import { withExamples } from '../help'
import { printList, printObject } from '../output/print'
import { addIdCommand } from './by-id'

const path = (id: string) => `/webhook/${encodeURIComponent(id)}`
const eventList = (text: string) =>
  text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)

interface WebhookFlags {
  url?: string
  events?: string
  active?: boolean
}

/** The body fields a create or update sets from its flags. */
function webhookBody(opts: WebhookFlags): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  if (opts.url !== undefined) body.target_url = opts.url
  if (opts.events !== undefined) body.event_types = eventList(opts.events)
  if (opts.active !== undefined) body.is_active = opts.active
  return body
}

export function registerWebhooks(program: Command, io: CliIO): void {
  const webhooks = program.command('webhooks').description('Outbound webhooks: signed POSTs of account and sync events to your URL.')
  withExamples(webhooks, [
    'unimeter webhooks create --url https://example.com/hooks --events sync_job_run:completed',
    'unimeter webhooks list',
  ])

  withExamples(
    webhooks
      .command('create')
      .description('Register a webhook. Its signing secret is printed once.')
      .requiredOption('--url <url>', 'where events are POSTed')
      .requiredOption('--events <list>', 'comma-separated event types, or *')
      .option('--inactive', 'create it switched off')
      .action(async (opts: { url: string; events: string; inactive?: boolean }, command: Command) => {
        const ctx = cliContext(command, io)
        const created = await ctx.client.json('POST', '/webhook', {
          body: webhookBody({ url: opts.url, events: opts.events, active: !opts.inactive }),
        })
        printObject(ctx, created)
        ctx.err('Keep the secret now: it cannot be shown again.\n')
      }),
    [
      'unimeter webhooks create --url https://example.com/hooks --events "sync_job_run:completed,sync_job_run:failed"',
      'unimeter webhooks create --url https://example.com/all --events "*" -o json | jq -r .secret',
    ],
  )

  withExamples(
    webhooks
      .command('list')
      .description('List webhooks (never their secrets).')
      .option('--next-cursor <cursor>', 'continue after a previous page')
      .option('--all', 'every page')
      .action(async (opts: { nextCursor?: string; all?: boolean }, command: Command) =>
        printList(cliContext(command, io), '/webhook', { next_cursor: opts.nextCursor }, opts.all === true),
      ),
    ['unimeter webhooks list', 'unimeter webhooks list -o json'],
  )

  addIdCommand(webhooks, io, {
    name: 'get',
    description: 'Show one webhook.',
    argument: ['<id>', 'webhook id'],
    method: 'GET',
    path,
    examples: ['unimeter webhooks get <id>'],
  })

  withExamples(
    webhooks
      .command('update')
      .description('Change the URL, the events, or switch it on or off.')
      .argument('<id>', 'webhook id')
      .option('--url <url>', 'new target URL')
      .option('--events <list>', 'new comma-separated event types')
      .option('--active', 'switch on')
      .option('--inactive', 'switch off')
      .action(async (id: string, opts: { url?: string; events?: string; active?: boolean; inactive?: boolean }, command: Command) => {
        const ctx = cliContext(command, io)
        if (opts.active && opts.inactive) throw new UsageError('--active and --inactive contradict each other')
        const body = webhookBody({ url: opts.url, events: opts.events, active: opts.active ? true : opts.inactive ? false : undefined })
        if (Object.keys(body).length === 0) throw new UsageError('nothing to update', 'pass --url, --events, --active or --inactive')
        printObject(ctx, await ctx.client.json('PATCH', path(id), { body }))
      }),
    ['unimeter webhooks update <id> --inactive', 'unimeter webhooks update <id> --events "*"'],
  )

  addIdCommand(webhooks, io, {
    name: 'delete',
    description: 'Delete a webhook.',
    argument: ['<id>', 'webhook id'],
    method: 'DELETE',
    path,
    examples: ['unimeter webhooks delete <id>'],
  })
}

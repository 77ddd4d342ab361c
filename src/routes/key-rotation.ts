/**
 * POST /admin/rotate-encryption-key: the encryption key rotation of `npm run rotate-key`, through
 * the API, so it runs wherever the gateway runs (on Workers there is no database file for a
 * command to open). One call is one bounded batch (src/crypto/key-rotation.ts); the caller
 * repeats it until `done`. Admin tokens bound to no tenant only (access-policy.ts).
 */
import { createRoute, z, type RouteHandler } from '@hono/zod-openapi'
import { KeyRotationError, MAX_ROTATION_BATCH, rotateKeyBatch, staleRows } from '../crypto/key-rotation'
import { ApiError } from '../lib/http-errors'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses } from './errors'
import { jsonResponse, permanentConflict } from './openapi-helpers'

const DEFAULT_BATCH = 100

const perVersion = z.record(z.string(), z.number().int()).openapi({ description: 'Rows per key version.', example: { 1: 40, 2: 160 } })

const batchSchema = z
  .object({
    current_key_version: z.number().int().openapi({ description: 'UNIMETER_ENCRYPTION_KEY_VERSION of this gateway.' }),
    reencrypted: z
      .object({ integrated_accounts: z.number().int(), webhooks: z.number().int() })
      .openapi({ description: 'Rows this call re-sealed under the current key version.' }),
    key_versions: z
      .object({ integrated_accounts: perVersion, webhooks: perVersion })
      .openapi({ description: 'Rows per key version after this call: account credentials, webhook signing secrets.' }),
    remaining: z.number().int().openapi({ description: 'Rows still sealed under an older key version.' }),
    done: z.boolean().openapi({ description: 'true: every row is on the current version and the previous keys can be removed.' }),
  })
  .openapi('KeyRotationBatch')

export const rotateRoute = createRoute({
  method: 'post',
  path: '/admin/rotate-encryption-key',
  operationId: 'rotateEncryptionKey',
  tags: ['Admin'],
  summary: 'Re-encrypt stored secrets under the current key (one batch)',
  description:
    'Re-seals integrated accounts’ credentials and webhooks’ signing secrets that are sealed under an older key version ' +
    '(UNIMETER_PREVIOUS_ENCRYPTION_KEYS) with the current one (UNIMETER_ENCRYPTION_KEY), at most `limit` rows per call. ' +
    'Call again until `done` is true; each call continues where the last one stopped. Nothing is written when a key version ' +
    'in use is not configured or does not decrypt its rows (422). See SECURITY.md, "Rotating the encryption key".',
  request: {
    query: z.object({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_ROTATION_BATCH)
        .optional()
        .openapi({
          description: `Rows re-sealed by this call, 1–${MAX_ROTATION_BATCH} (default ${DEFAULT_BATCH}). On Workers Free keep it under 40 (50 D1 queries per invocation).`,
        }),
    }),
  },
  responses: {
    200: jsonResponse(batchSchema, 'One batch done; `done` says whether rows remain.'),
    ...errorResponses,
    ...permanentConflict(
      'A key version in use is not configured (encryption_key_missing) or does not decrypt its rows (encryption_key_mismatch): nothing was changed.',
    ),
  },
})

const rotate: RouteHandler<typeof rotateRoute, AppEnv> = async (c) => {
  const { limit = DEFAULT_BATCH } = c.req.valid('query')
  const services = c.var.services
  let batch
  try {
    batch = await rotateKeyBatch(
      { db: services.db, keyring: services.keyring, atomic: services.atomic, forgetAccount: (id) => services.accounts.forget(id) },
      limit,
    )
  } catch (err) {
    if (err instanceof KeyRotationError) throw new ApiError(422, err.code, err.message)
    throw err
  }
  const { after, currentVersion } = batch
  return c.json(
    {
      current_key_version: currentVersion,
      reencrypted: { integrated_accounts: batch.reencrypted.integratedAccounts, webhooks: batch.reencrypted.webhooks },
      key_versions: { integrated_accounts: after.integratedAccounts, webhooks: after.webhooks },
      remaining: staleRows(after, currentVersion),
      done: batch.done,
    },
    200,
  )
}

export function keyRotationRoutes() {
  return createRouter().openapi(rotateRoute, rotate)
}

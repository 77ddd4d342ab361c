/**
 * What an API token may do. Roles are ordered: each allows what the one below it allows.
 *   read  — GET only, never /api-token.
 *   write — everything except managing API tokens.
 *   admin — everything (the default: what every token could do before roles existed).
 * A token may also be bound to one tenant (TokenIdentity.tenantId): see src/routes/access-policy.ts
 * and src/accounts/tenant-scope.ts.
 */
export const TOKEN_ROLES = ['admin', 'write', 'read'] as const
export type TokenRole = (typeof TOKEN_ROLES)[number]

const RANK: Record<TokenRole, number> = { read: 0, write: 1, admin: 2 }

export function roleAllows(held: TokenRole, needed: TokenRole): boolean {
  return RANK[held] >= RANK[needed]
}

/**
 * A role read back from the database. Anything unexpected (a row written by hand) gets the
 * least privilege rather than an error that would lock its holder out of reading.
 */
export function storedRole(value: string): TokenRole {
  return (TOKEN_ROLES as readonly string[]).includes(value) ? (value as TokenRole) : 'read'
}

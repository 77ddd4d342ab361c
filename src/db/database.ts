/**
 * The database handle every module receives. It is drizzle over better-sqlite3 on Node and over
 * D1 on Workers; code always `await`s queries so the same code runs on both.
 */
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import * as schema from './schema'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AppDatabase = BaseSQLiteDatabase<'sync' | 'async', any, typeof schema>

export { schema }

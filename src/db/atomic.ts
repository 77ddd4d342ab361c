/**
 * All-or-nothing writes that work on both databases. better-sqlite3 transactions are
 * synchronous (an async callback is refused) and D1 has no interactive transactions at all, but
 * both can run a list of prepared drizzle statements atomically: a synchronous transaction on
 * Node, one `batch` on D1. Code that needs atomicity therefore reads first, builds its
 * statements, then hands them to an AtomicWriter; the runtime entry picks the implementation.
 */
import type { BatchItem } from 'drizzle-orm/batch'
import type { AppDatabase } from './database'

/**
 * Work only a synchronous transaction can run: a cached better-sqlite3 statement executed once
 * per row (src/sync/prepared-record-writes.ts). D1 takes drizzle statements only; a runtime that
 * hands its writer these must run on better-sqlite3.
 */
export interface LocalWork {
  readonly local: true
  run(): void
}

export type AtomicStatement = BatchItem<'sqlite'> | LocalWork

const isLocal = (s: AtomicStatement): s is LocalWork => 'local' in s && s.local === true

export interface AtomicWriter {
  /** Runs every statement, in order, in one transaction: all are applied or none. */
  run(statements: AtomicStatement[]): Promise<void>
}

/** better-sqlite3: an IMMEDIATE transaction, so a second process waits for the write lock up front. */
export function sqliteTransactionWriter(db: AppDatabase): AtomicWriter {
  type SyncDb = { transaction(fn: () => void, config: { behavior: 'immediate' }): void }
  return {
    async run(statements) {
      if (statements.length === 0) return
      ;(db as unknown as SyncDb).transaction(
        () => {
          // Query builders of a synchronous driver execute on `.run()`, inside the open transaction.
          for (const s of statements) (s as unknown as { run(): unknown }).run()
        },
        { behavior: 'immediate' },
      )
    },
  }
}

/** D1 (and libSQL): `db.batch`, which the platform runs as one transaction. */
export function batchWriter(db: AppDatabase): AtomicWriter {
  return {
    async run(statements) {
      if (statements.length === 0) return
      const batch = (db as unknown as { batch?: (items: AtomicStatement[]) => Promise<unknown> }).batch
      if (statements.some(isLocal))
        throw new Error(
          'Prepared better-sqlite3 work cannot go into a batch: give buildServices the set-based record writes (src/sync/record-writes.ts)',
        )
      if (typeof batch !== 'function')
        throw new Error('This database driver has no batch(): give buildServices an AtomicWriter for it (see src/db/atomic.ts)')
      await batch.call(db, statements as [AtomicStatement, ...AtomicStatement[]])
    },
  }
}

// The write behind every keystroke on the embedded SQLite file: the statement
// of append-statement.ts, run on a connection of its own with prepared
// statements kept, instead of through the Prisma client. At typing pace the
// client's per-call path (argument encoding, its query interpreter, several
// promise hops) cost about 1 ms per append, more than the commit itself
// (bench/storage-append.ts prints both paths). Schema and migrations stay
// Prisma's; every other read and write goes through the Prisma client.
//
// Why a separate connection: the Prisma adapter runs plain queries on the
// connection even while an interactive transaction is open on it, so an append
// issued then would become part of that transaction and be reported stored
// before it commits. Here every append is its own committed transaction.
//
// It never waits synchronously for a lock: better-sqlite3 is synchronous, and
// a busy wait would block the event loop while the lock holder (perhaps a
// transaction of this very process) needs that loop to finish. A busy
// database is retried on a short timer instead, up to the busy timeout.
import Database from 'better-sqlite3';
import { appendStatement } from './append-statement';

export type SqliteSyncMode = 'FULL' | 'NORMAL';

const RETRY_MS = 2;
/** Batch sizes whose prepared statement is kept (keystrokes come in ones and twos). */
const KEPT_STATEMENTS = 16;

export interface SqliteUpdateAppender {
  /**
   * Appends 1..MAX_BATCH updates if the notebook exists with `epoch`: the id of
   * the last one stored, or null if it did not (nothing is stored then).
   */
  append(notebookId: string, epoch: string, updates: Uint8Array[]): Promise<number | null>;
  close(): void;
}

export function openSqliteUpdateAppender(file: string, sync: SqliteSyncMode, busyTimeoutMs: number): SqliteUpdateAppender {
  const db = new Database(file, { timeout: 0 });
  db.pragma(`synchronous = ${sync}`);
  db.pragma('foreign_keys = ON');
  const statements = new Map<number, Database.Statement>();

  function statementFor(count: number): Database.Statement {
    let statement = statements.get(count);
    if (!statement) {
      if (statements.size >= KEPT_STATEMENTS) statements.clear();
      // appendStatement refuses a batch size out of range, so only valid ones are kept.
      statement = db.prepare(appendStatement('sqlite', '', '', new Array<Uint8Array>(count).fill(new Uint8Array()), new Date()).sql);
      statements.set(count, statement);
    }
    return statement;
  }

  function tryAppend(notebookId: string, epoch: string, updates: Uint8Array[]): number | null {
    // Same parameter order as appendStatement: createdAt, the updates, id, epoch.
    // createdAt is written the way Prisma's SQLite adapter writes a DateTime.
    const createdAt = new Date().toISOString().replace('Z', '+00:00');
    const rows = statementFor(updates.length).all(createdAt, ...updates, notebookId, epoch) as { id: number }[];
    // Ids come back in the order of `updates` (the statement orders by position).
    return rows.length === updates.length ? Number(rows[rows.length - 1].id) : null;
  }

  return {
    append(notebookId, epoch, updates) {
      const deadline = Date.now() + busyTimeoutMs;
      return new Promise((resolve, reject) => {
        const attempt = () => {
          try {
            resolve(tryAppend(notebookId, epoch, updates));
          } catch (err) {
            if (isBusy(err) && Date.now() < deadline) setTimeout(attempt, RETRY_MS);
            else reject(err);
          }
        };
        attempt();
      });
    },
    close() {
      statements.clear();
      db.close();
    },
  };
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

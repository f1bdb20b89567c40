// The one SQL statement behind `documents.append`, per dialect. It inserts all
// updates only if the notebook still exists with the writer's epoch, so the
// check and the write are one atomic step and one round trip:
//   INSERT INTO DocumentUpdate SELECT ... FROM Notebook WHERE id = ? AND epoch = ?
// Zero rows back means the check failed; the caller then finds out which way.
// Ids follow the order of `updates` (ORDER BY the position in the batch).
//
// PostgreSQL: FOR SHARE on the notebook row makes an append wait for a running
// `replace` (which locks that row) and then re-check the new epoch, so an append
// can never slip in under an epoch that was just retired.
import type { Provider } from './schema-engine';

export interface Statement {
  sql: string;
  params: unknown[];
}

/** Most updates bound in one statement (SQLite allows 32766 parameters). */
export const MAX_BATCH = 500;

export function appendStatement(provider: Provider, notebookId: string, epoch: string, updates: Uint8Array[], now: Date): Statement {
  if (updates.length === 0 || updates.length > MAX_BATCH) throw new RangeError(`append batch must hold 1..${MAX_BATCH} updates`);
  if (provider === 'sqlite') {
    const rows = updates.map((_, i) => `(?, ${i})`).join(', ');
    return {
      sql:
        `INSERT INTO "DocumentUpdate" ("notebookId", "epoch", "data", "createdAt") ` +
        `SELECT n."id", n."epoch", v.column1, ? FROM "Notebook" AS n, (VALUES ${rows}) AS v ` +
        `WHERE n."id" = ? AND n."epoch" = ? ORDER BY v.column2 RETURNING "id"`,
      params: [now, ...updates, notebookId, epoch], // in the order the ? appear
    };
  }
  const rows = updates.map((_, i) => `($${i + 2}::bytea, ${i})`).join(', ');
  const idParam = updates.length + 2;
  return {
    sql:
      `INSERT INTO "DocumentUpdate" ("notebookId", "epoch", "data", "createdAt") ` +
      `SELECT n."id", n."epoch", v.data, $1::timestamp(3) FROM "Notebook" AS n CROSS JOIN (VALUES ${rows}) AS v(data, ord) ` +
      `WHERE n."id" = $${idParam} AND n."epoch" = $${idParam + 1} ORDER BY v.ord FOR SHARE OF n RETURNING "id"`,
    params: [now, ...updates, notebookId, epoch],
  };
}

/** Takes the notebook's write lock and checks its epoch in one statement; affects 0 rows if either fails. */
export function claimEpochStatement(provider: Provider, notebookId: string, epoch: string): Statement {
  const [a, b] = provider === 'sqlite' ? ['?', '?'] : ['$1', '$2'];
  return { sql: `UPDATE "Notebook" SET "epoch" = "epoch" WHERE "id" = ${a} AND "epoch" = ${b}`, params: [notebookId, epoch] };
}

// A notebook's Yjs document: one snapshot plus the append-only log of updates
// made after it. Invariants:
// - every stored update and the snapshot carry the notebook's current epoch;
//   rows of an older epoch are never returned (load filters on it);
// - the snapshot folds in exactly the updates with id <= upToUpdateId, and
//   compaction only moves it forward;
// - append is one statement (see append-statement.ts), so a keystroke costs one
//   round trip and one commit; on SQLite it runs on the appender's own
//   connection (sqlite-update-appender.ts says why).
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { appendStatement, claimEpochStatement, MAX_BATCH } from './append-statement';
import { EpochMismatchError, NotFoundError } from './errors';
import { newEpoch } from './notebooks';
import type { SqliteUpdateAppender } from './sqlite-update-appender';
import type { Provider } from './schema-engine';
import type { DocumentStore, StoredDocument } from './types';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type Bytes = Uint8Array<ArrayBuffer>;

export function documentStore(prisma: PrismaClient, provider: Provider, appender: SqliteUpdateAppender | null = null): DocumentStore {
  // SQLite transactions are serializable by nature (one writer); PostgreSQL
  // needs REPEATABLE READ for load to see snapshot and log at one instant.
  // (The SQLite client's types only know 'Serializable'; the PostgreSQL client,
  // which receives this option, knows them all.)
  const readOptions = (provider === 'postgresql' ? { isolationLevel: 'RepeatableRead' } : {}) as { isolationLevel?: 'Serializable' };
  const writeOptions = { maxWait: 10_000, timeout: 30_000 };

  async function explainRefusal(notebookId: string, epoch: string): Promise<never> {
    const notebook = await prisma.notebook.findUnique({ where: { id: notebookId }, select: { epoch: true } });
    if (!notebook) throw new NotFoundError(notebookId);
    throw new EpochMismatchError(notebookId, epoch, notebook.epoch);
  }

  async function insert(db: PrismaClient | Tx, notebookId: string, epoch: string, batch: Uint8Array[], now: Date): Promise<number> {
    const { sql, params } = appendStatement(provider, notebookId, epoch, batch, now);
    const rows = await db.$queryRawUnsafe<{ id: number | bigint }[]>(sql, ...params);
    if (rows.length !== batch.length) return explainRefusal(notebookId, epoch);
    return rows.reduce((max, row) => Math.max(max, Number(row.id)), 0);
  }

  /** The stored snapshot of `epoch` (null if the snapshot is of another) and the updates of `epoch` after it, in order. */
  async function readLog(tx: Tx, notebookId: string, epoch: string) {
    const stored = await tx.documentSnapshot.findUnique({ where: { notebookId } });
    const snapshot = stored && stored.epoch === epoch ? stored : null;
    const after = snapshot?.upToUpdateId ?? 0;
    const updates = await tx.documentUpdate.findMany({
      where: { notebookId, epoch, id: { gt: after } },
      orderBy: { id: 'asc' },
      select: { id: true, data: true },
    });
    return { snapshot, after, updates };
  }

  /**
   * Takes the notebook's write lock while it still has `epoch` (false: replaced
   * or deleted). The first statement is a write, so it locks before anything is
   * read and concurrent writers queue instead of failing on a stale read.
   */
  async function claimEpoch(tx: Tx, notebookId: string, epoch: string): Promise<boolean> {
    const claim = claimEpochStatement(provider, notebookId, epoch);
    return (await tx.$executeRawUnsafe(claim.sql, ...claim.params)) > 0;
  }

  /** Stores `data` as the snapshot folding in every update up to `upToUpdateId`, and drops those updates. */
  async function writeSnapshot(tx: Tx, notebookId: string, epoch: string, data: Bytes, upToUpdateId: number): Promise<void> {
    await tx.documentSnapshot.upsert({
      where: { notebookId },
      create: { notebookId, epoch, data, upToUpdateId },
      update: { epoch, data, upToUpdateId },
    });
    await tx.documentUpdate.deleteMany({ where: { notebookId, id: { lte: upToUpdateId } } });
  }

  return {
    async load(notebookId) {
      return prisma.$transaction(async (tx): Promise<StoredDocument> => {
        const notebook = await tx.notebook.findUnique({ where: { id: notebookId }, select: { epoch: true } });
        if (!notebook) throw new NotFoundError(notebookId);
        const { snapshot, after, updates } = await readLog(tx, notebookId, notebook.epoch);
        return {
          epoch: notebook.epoch,
          snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
          updates: updates.map((u) => new Uint8Array(u.data)),
          lastUpdateId: updates.length ? updates[updates.length - 1].id : after,
        };
      }, readOptions);
    },

    async append(notebookId, epoch, updates) {
      if (updates.length === 0) {
        const doc = await this.load(notebookId);
        if (doc.epoch !== epoch) throw new EpochMismatchError(notebookId, epoch, doc.epoch);
        return doc.lastUpdateId;
      }
      if (appender && updates.length <= MAX_BATCH) {
        return (await appender.append(notebookId, epoch, updates)) ?? explainRefusal(notebookId, epoch);
      }
      const now = new Date();
      if (updates.length <= MAX_BATCH) return insert(prisma, notebookId, epoch, updates, now);
      return prisma.$transaction(async (tx) => {
        let last = 0;
        for (let i = 0; i < updates.length; i += MAX_BATCH) last = await insert(tx, notebookId, epoch, updates.slice(i, i + MAX_BATCH), now);
        return last;
      }, writeOptions);
    },

    async compact(notebookId, epoch, snapshot, upToUpdateId) {
      await prisma.$transaction(async (tx) => {
        if (!(await claimEpoch(tx, notebookId, epoch))) return;
        const current = await tx.documentSnapshot.findUnique({ where: { notebookId }, select: { epoch: true, upToUpdateId: true } });
        if (current && current.epoch === epoch && current.upToUpdateId >= upToUpdateId) return;
        await writeSnapshot(tx, notebookId, epoch, snapshot as Bytes, upToUpdateId);
      }, writeOptions);
    },

    async foldLog(notebookId, epoch, fold) {
      await prisma.$transaction(async (tx) => {
        // The write lock first: appends of other writers finish or wait.
        if (!(await claimEpoch(tx, notebookId, epoch))) return;
        const { snapshot, updates } = await readLog(tx, notebookId, epoch);
        if (!updates.length) return;
        const data = fold(snapshot ? new Uint8Array(snapshot.data) : null, updates.map((u) => new Uint8Array(u.data))) as Bytes;
        await writeSnapshot(tx, notebookId, epoch, data, updates[updates.length - 1].id);
      }, writeOptions);
    },

    async replace(notebookId, state) {
      const epoch = newEpoch();
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.notebook.updateMany({ where: { id: notebookId }, data: { epoch } });
        if (!count) throw new NotFoundError(notebookId);
        // Ids are never reused, so the new snapshot claims every id seen so far.
        const last = await tx.documentUpdate.aggregate({ where: { notebookId }, _max: { id: true } });
        const previous = await tx.documentSnapshot.findUnique({ where: { notebookId }, select: { upToUpdateId: true } });
        // Every update is at most that id, so all of them go.
        await writeSnapshot(tx, notebookId, epoch, state as Bytes, Math.max(last._max.id ?? 0, previous?.upToUpdateId ?? 0));
        return epoch;
      }, writeOptions);
    },
  };
}

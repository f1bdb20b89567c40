// Notebook memberships: which account has which role on which notebook. The
// notebook list of a user and every permission check of the app read this table.
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { NotFoundError } from './errors';
import { storedRole } from './stored-role';
import type { MemberRecord, MemberStore, NotebookRole, SharedNotebookRecord } from './types';

const rank: Record<NotebookRole, number> = { owner: 0, editor: 1, commenter: 2, viewer: 3 };

export function memberStore(prisma: PrismaClient): MemberStore {
  const withUser = { user: { select: { name: true, email: true } } } as const;
  type Row = { notebookId: string; userId: string; role: string; createdAt: Date; user: { name: string; email: string } };
  const toRecord = (row: Row): MemberRecord => ({
    notebookId: row.notebookId,
    userId: row.userId,
    role: storedRole(row.role),
    name: row.user.name,
    email: row.user.email,
    createdAt: row.createdAt,
  });

  return {
    async grant(notebookId, userId, role) {
      storedRole(role);
      const notebook = await prisma.notebook.findUnique({ where: { id: notebookId }, select: { id: true } });
      if (!notebook) throw new NotFoundError(notebookId);
      // Single-statement writes, not an upsert: on SQLite an upsert is a read then a write in one deferred
      // transaction, and if another process (the collab server storing an edit) commits in between, the
      // write cannot start from its stale snapshot and fails at once (SQLITE_BUSY) instead of waiting its turn.
      const key = { notebookId_userId: { notebookId, userId } };
      const { count } = await prisma.notebookMember.updateMany({ where: { notebookId, userId }, data: { role } });
      if (count === 0) {
        try {
          await prisma.notebookMember.create({ data: { notebookId, userId, role } });
        } catch (err) {
          if ((err as { code?: string }).code !== 'P2002') throw err; // granted meanwhile by another request
          await prisma.notebookMember.updateMany({ where: { notebookId, userId }, data: { role } });
        }
      }
      return toRecord(await prisma.notebookMember.findUniqueOrThrow({ where: key, include: withUser }));
    },

    async revoke(notebookId, userId) {
      const { count } = await prisma.notebookMember.deleteMany({ where: { notebookId, userId } });
      return count > 0;
    },

    async roleOf(notebookId, userId) {
      const row = await prisma.notebookMember.findUnique({ where: { notebookId_userId: { notebookId, userId } }, select: { role: true } });
      return row ? storedRole(row.role) : null;
    },

    async list(notebookId) {
      const rows = await prisma.notebookMember.findMany({ where: { notebookId }, include: withUser });
      return rows.map(toRecord).sort((a, b) => rank[a.role] - rank[b.role] || a.email.localeCompare(b.email));
    },

    async notebooksOf(userId) {
      const rows = await prisma.notebookMember.findMany({
        where: { userId },
        select: { role: true, notebook: { select: { id: true, title: true, epoch: true, createdAt: true, updatedAt: true } } },
        orderBy: [{ notebook: { updatedAt: 'desc' } }, { notebookId: 'asc' }],
      });
      return rows.map((row): SharedNotebookRecord => ({ ...row.notebook, role: storedRole(row.role) }));
    },
  };
}

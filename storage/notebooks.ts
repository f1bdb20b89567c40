// Notebook rows: the list the app shows and the names the CLI prints. Deleting a
// notebook removes its document with it (foreign keys cascade).
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { NotFoundError } from './errors';
import type { NotebookRecord, NotebookStore } from './types';

const fields = { id: true, title: true, epoch: true, createdAt: true, updatedAt: true } as const;

export function notebookStore(prisma: PrismaClient): NotebookStore {
  return {
    create: ({ title, id, forkedFrom, workshopId, guestOwner }) => prisma.notebook.create({
      data: {
        title, id, epoch: newEpoch(),
        forkedFromNotebookId: forkedFrom?.notebookId, forkedFromVersionId: forkedFrom?.versionId ?? undefined,
        forkedInWorkshopId: workshopId, guestOwnerId: guestOwner?.guestId, guestOwnerName: guestOwner?.name,
      },
      select: fields,
    }),

    async originOf(id) {
      const row = await prisma.notebook.findUnique({ where: { id }, select: { forkedFromNotebookId: true, forkedFromVersionId: true } });
      if (!row?.forkedFromNotebookId) return null;
      return { notebookId: row.forkedFromNotebookId, versionId: row.forkedFromVersionId };
    },

    forkCount: (id) => prisma.notebook.count({ where: { forkedFromNotebookId: id } }),

    get: (id) => prisma.notebook.findUnique({ where: { id }, select: fields }),

    list: () => prisma.notebook.findMany({ orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }], select: fields }),

    async rename(id, title) {
      const { count } = await prisma.notebook.updateMany({ where: { id }, data: { title } });
      const record = count ? await prisma.notebook.findUnique({ where: { id }, select: fields }) : null;
      if (!record) throw new NotFoundError(id);
      return record;
    },

    async delete(id) {
      const { count } = await prisma.notebook.deleteMany({ where: { id } });
      if (!count) throw new NotFoundError(id);
    },

    async touch(id) {
      await prisma.notebook.updateMany({ where: { id }, data: { updatedAt: new Date() } });
    },

    async guestOwnership(id) {
      const row = await prisma.notebook.findUnique({
        where: { id }, select: { guestOwnerId: true, guestOwnerName: true, forkedInWorkshopId: true, expiresAt: true },
      });
      if (!row?.guestOwnerId) return null;
      return { guestId: row.guestOwnerId, name: row.guestOwnerName ?? 'Guest', workshopId: row.forkedInWorkshopId, expiresAt: row.expiresAt };
    },

    async guestOwnerRole(notebookId, guestId, now = new Date()) {
      const row = await prisma.notebook.findUnique({ where: { id: notebookId }, select: { guestOwnerId: true, expiresAt: true } });
      if (!row?.guestOwnerId || row.guestOwnerId !== guestId) return null;
      return !row.expiresAt || row.expiresAt > now ? 'owner' : null;
    },

    async expired(now = new Date()) {
      const rows = await prisma.notebook.findMany({ where: { expiresAt: { lte: now } }, select: { id: true }, orderBy: { expiresAt: 'asc' } });
      return rows.map((row) => row.id);
    },

    workshopForks: (workshopId, owner) => prisma.notebook.findMany({
      where: {
        forkedInWorkshopId: workshopId,
        ...('guestId' in owner ? { guestOwnerId: owner.guestId } : { members: { some: { userId: owner.userId, role: 'owner' } } }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      select: fields,
    }),
  };
}

/** A fresh document lineage name. */
export function newEpoch(): string {
  return randomUUID();
}

export type { NotebookRecord };

// Workshops: a notebook's attendee and presenter links, started and ended
// together. Starting writes both links and the workshop in one transaction;
// ending revokes both links, records the end and sets the expiry of the guests'
// forks made during it, in one transaction too, so no guest keeps a way in
// after the owner pressed "End". One live workshop per notebook is enforced by
// the database (the unique `liveNotebookId`), not only by checking first.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { NotFoundError, WorkshopLiveError } from './errors';
import { hashSecret } from './share-links';
import type { WorkshopStore } from './types';

const fields = {
  id: true, notebookId: true, attendeeLinkId: true, presenterLinkId: true, startedBy: true, startedAt: true, endedAt: true, forksExpireAt: true,
} as const;

/** Prisma's "unique constraint failed" (both providers). */
const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === 'P2002';

export function workshopStore(prisma: PrismaClient): WorkshopStore {
  return {
    async start({ notebookId, startedBy, attendeeRole, attendeeLink, presenterLink }) {
      if (attendeeRole !== 'viewer' && attendeeRole !== 'commenter' && attendeeRole !== 'editor') throw new Error(`an attendee link gives viewer, commenter or editor access, not "${String(attendeeRole)}"`);
      try {
        return await prisma.$transaction(async (tx) => {
          const notebook = await tx.notebook.findUnique({ where: { id: notebookId }, select: { id: true } });
          if (!notebook) throw new NotFoundError(notebookId);
          if (await tx.workshop.findUnique({ where: { liveNotebookId: notebookId }, select: { id: true } })) throw new WorkshopLiveError(notebookId);
          const link = (made: { id: string; secret: string }, role: string) => tx.shareLink.create({
            data: { id: made.id, notebookId, role, secretHash: hashSecret(made.secret), expiresAt: null, createdBy: startedBy },
            select: { id: true },
          });
          await link(attendeeLink, attendeeRole);
          await link(presenterLink, 'editor');
          return tx.workshop.create({
            data: { id: randomUUID(), notebookId, liveNotebookId: notebookId, attendeeLinkId: attendeeLink.id, presenterLinkId: presenterLink.id, startedBy },
            select: fields,
          });
        });
      } catch (err) {
        // Two starts at once: the second one's row breaks the unique live notebook.
        if (isUniqueViolation(err)) throw new WorkshopLiveError(notebookId);
        throw err;
      }
    },

    live: (notebookId) => prisma.workshop.findUnique({ where: { liveNotebookId: notebookId }, select: fields }),

    get: (id) => prisma.workshop.findUnique({ where: { id }, select: fields }),

    list: (notebookId) => prisma.workshop.findMany({ where: { notebookId }, orderBy: [{ startedAt: 'desc' }, { id: 'asc' }], select: fields }),

    async end(notebookId, { forkRetentionMs, now = new Date() }) {
      if (!(forkRetentionMs >= 0)) throw new Error(`a fork retention must be a duration, not ${forkRetentionMs}`);
      const forksExpireAt = new Date(now.getTime() + forkRetentionMs);
      return prisma.$transaction(async (tx) => {
        const live = await tx.workshop.findUnique({ where: { liveNotebookId: notebookId }, select: fields });
        if (!live) return null;
        // Guarded by liveNotebookId: of two "End" presses, one ends it, the other finds nothing.
        const { count } = await tx.workshop.updateMany({ where: { id: live.id, liveNotebookId: notebookId }, data: { liveNotebookId: null, endedAt: now, forksExpireAt } });
        if (!count) return null;
        await tx.shareLink.updateMany({
          where: { id: { in: [live.attendeeLinkId, live.presenterLinkId] }, notebookId, revokedAt: null },
          data: { revokedAt: now },
        });
        await tx.notebook.updateMany({ where: { forkedInWorkshopId: live.id, guestOwnerId: { not: null }, expiresAt: null }, data: { expiresAt: forksExpireAt } });
        return { ...live, endedAt: now, forksExpireAt };
      });
    },

    async settleForkExpiry(workshopId) {
      const workshop = await prisma.workshop.findUnique({ where: { id: workshopId }, select: { forksExpireAt: true } });
      if (!workshop?.forksExpireAt) return;
      await prisma.notebook.updateMany({
        where: { forkedInWorkshopId: workshopId, guestOwnerId: { not: null }, expiresAt: null },
        data: { expiresAt: workshop.forksExpireAt },
      });
    },
  };
}

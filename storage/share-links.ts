// Share links and the guests who joined through them. A link's secret is 32
// random bytes shown to its creator once; the table keeps only its SHA-256, so
// a copy of the database opens no notebook. (A fast hash is enough here: the
// secret has 256 bits of entropy, nothing to brute-force.)
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { NotFoundError } from './errors';
import { storedRole } from './stored-role';
import type { GuestRecord, ShareLinkRecord, ShareLinkStore } from './types';

const linkFields = { id: true, notebookId: true, role: true, expiresAt: true, revokedAt: true, createdBy: true, createdAt: true } as const;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A secret as it appears in a URL: 43 characters of base64url. */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

type LinkRow = Omit<ShareLinkRecord, 'role'> & { role: string };
const toLink = (row: LinkRow): ShareLinkRecord => ({ ...row, role: storedRole(row.role) });
const isLive = (link: ShareLinkRecord, now: Date) => !link.revokedAt && (!link.expiresAt || link.expiresAt > now);

export function shareLinkStore(prisma: PrismaClient): ShareLinkStore {
  return {
    async create({ notebookId, role, expiresAt, createdBy }) {
      storedRole(role);
      const notebook = await prisma.notebook.findUnique({ where: { id: notebookId }, select: { id: true } });
      if (!notebook) throw new NotFoundError(notebookId);
      const secret = newSecret();
      const row = await prisma.shareLink.create({
        data: { id: randomUUID(), notebookId, role, secretHash: hashSecret(secret), expiresAt, createdBy },
        select: linkFields,
      });
      return { link: toLink(row), secret };
    },

    async resolve(secret, now = new Date()) {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return null;
      const row = await prisma.shareLink.findUnique({ where: { secretHash: hashSecret(secret) }, select: linkFields });
      const link = row && toLink(row);
      return link && isLive(link, now) ? link : null;
    },

    async get(id) {
      const row = await prisma.shareLink.findUnique({ where: { id }, select: linkFields });
      return row && toLink(row);
    },

    async activeRole(notebookId, id, now = new Date()) {
      const row = await prisma.shareLink.findUnique({ where: { id }, select: linkFields });
      const link = row && toLink(row);
      return link && link.notebookId === notebookId && isLive(link, now) ? link.role : null;
    },

    async setRole(notebookId, id, role) {
      storedRole(role);
      const { count } = await prisma.shareLink.updateMany({ where: { id, notebookId }, data: { role } });
      return count > 0;
    },

    async revoke(notebookId, id) {
      const { count } = await prisma.shareLink.updateMany({ where: { id, notebookId, revokedAt: null }, data: { revokedAt: new Date() } });
      return count > 0;
    },

    async list(notebookId) {
      const rows = await prisma.shareLink.findMany({ where: { notebookId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], select: linkFields });
      return rows.map(toLink);
    },

    addGuest: (shareLinkId, name): Promise<GuestRecord> =>
      prisma.guest.create({ data: { id: randomUUID(), shareLinkId, name } }),

    getGuest: (id) => prisma.guest.findUnique({ where: { id } }),

    guestsOf: (shareLinkId) => prisma.guest.findMany({ where: { shareLinkId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  };
}

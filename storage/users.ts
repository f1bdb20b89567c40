// Accounts as the rest of Cellmate sees them: id, name and email. The auth
// library owns creating them and their passwords and sessions.
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import type { UserStore } from './types';

const fields = { id: true, name: true, email: true } as const;

export function userStore(prisma: PrismaClient): UserStore {
  return {
    get: (id) => prisma.user.findUnique({ where: { id }, select: fields }),
    // The auth library stores addresses lower-cased; match the same way.
    findByEmail: (email) => prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: fields }),
    first: (limit) => prisma.user.findMany({ orderBy: { createdAt: 'asc' }, take: limit, select: fields }),
  };
}

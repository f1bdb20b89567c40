// Mentions of people in comments: who was named where, and whether they have
// seen it (their notebook list shows the unseen ones). Only members of a
// notebook are recorded: anyone can type "@" anything, but only people with
// access to the notebook hear about it.
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import type { MentionStore, NewMention } from './types';

/** The most mentions recorded from one accepted update (a comment names at most 20 people). */
const maxMentionsPerRecord = 200;

export function mentionStore(prisma: PrismaClient): MentionStore {
  return {
    async record(notebookId, mentions: NewMention[]) {
      const wanted = mentions.slice(0, maxMentionsPerRecord);
      if (!wanted.length) return 0;
      const members = await prisma.notebookMember.findMany({
        where: { notebookId, userId: { in: [...new Set(wanted.map((m) => m.userId))] } },
        select: { userId: true },
      });
      const isMember = new Set(members.map((m) => m.userId));
      let created = 0;
      for (const mention of wanted.filter((m) => isMember.has(m.userId))) {
        const key = { notebookId, userId: mention.userId, commentId: mention.commentId };
        const existing = await prisma.commentMention.findUnique({ where: { notebookId_userId_commentId: key }, select: { userId: true } });
        if (existing) continue;
        await prisma.commentMention.create({ data: { ...key, threadId: mention.threadId, byName: mention.byName } });
        created++;
      }
      return created;
    },
    async unseenByNotebook(userId) {
      const rows = await prisma.commentMention.groupBy({ by: ['notebookId'], where: { userId, seenAt: null }, _count: { _all: true } });
      return new Map(rows.map((row) => [row.notebookId, row._count._all]));
    },
    async markSeen(notebookId, userId) {
      await prisma.commentMention.updateMany({ where: { notebookId, userId, seenAt: null }, data: { seenAt: new Date() } });
    },
  };
}

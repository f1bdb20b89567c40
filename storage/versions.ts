// Saved versions of notebooks and their publications. A version row is written
// once and never changed; publishing adds a Publication row (its public slug)
// and unpublishing deletes it, so the version stays as it was saved.
import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { NotFoundError } from './errors';
import type { VersionContent, VersionKind, VersionRecord, VersionStore } from './types';

type Bytes = Uint8Array<ArrayBuffer>;

const recordFields = {
  id: true, notebookId: true, name: true, authorId: true, authorName: true, kind: true, runResult: true, createdAt: true,
  publication: { select: { slug: true, readerComments: true } },
} as const;

interface RecordRow {
  id: string; notebookId: string; name: string; authorId: string | null; authorName: string; kind: string;
  runResult: string | null; createdAt: Date; publication: { slug: string; readerComments: boolean } | null;
}

function storedKind(kind: string): VersionKind {
  if (kind === 'quick' || kind === 'fresh-run') return kind;
  throw new Error(`unknown version kind "${kind}" in the database`);
}

const toRecord = (row: RecordRow): VersionRecord => ({
  id: row.id,
  notebookId: row.notebookId,
  name: row.name,
  authorId: row.authorId,
  authorName: row.authorName,
  kind: storedKind(row.kind),
  runResult: row.runResult === null ? null : (JSON.parse(row.runResult) as unknown),
  createdAt: row.createdAt,
  publishedSlug: row.publication?.slug ?? null,
  readerComments: row.publication?.readerComments ?? false,
});

/** A URL-safe slug: the prefix (lowercase words) and 10 random characters, so slugs cannot be guessed. */
function newSlug(prefix: string): string {
  const words = prefix.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  const random = randomBytes(8).toString('base64url').replace(/[-_]/g, '').slice(0, 10).toLowerCase().padEnd(10, '0');
  return words ? `${words}-${random}` : random;
}

export function versionStore(prisma: PrismaClient): VersionStore {
  return {
    async create(input) {
      if (input.kind !== 'quick' && input.kind !== 'fresh-run') throw new Error(`unknown version kind "${input.kind}"`);
      const notebook = await prisma.notebook.findUnique({ where: { id: input.notebookId }, select: { id: true } });
      if (!notebook) throw new NotFoundError(input.notebookId);
      const row = await prisma.notebookVersion.create({
        data: {
          id: randomUUID(),
          notebookId: input.notebookId,
          name: input.name,
          authorId: input.authorId,
          authorName: input.authorName,
          kind: input.kind,
          nbformat: input.nbformat,
          ydoc: input.ydoc as Bytes,
          ydocBaseId: input.ydocBaseId ?? null,
          runResult: input.runResult === undefined || input.runResult === null ? null : JSON.stringify(input.runResult),
        },
        select: recordFields,
      });
      return toRecord(row);
    },

    async get(id) {
      const row = await prisma.notebookVersion.findUnique({ where: { id }, select: recordFields });
      return row && toRecord(row);
    },

    async list(notebookId) {
      const rows = await prisma.notebookVersion.findMany({
        where: { notebookId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], select: recordFields,
      });
      return rows.map(toRecord);
    },

    async content(id): Promise<VersionContent | null> {
      const row = await prisma.notebookVersion.findUnique({ where: { id }, select: { nbformat: true, ydoc: true, ydocBaseId: true } });
      return row && { nbformat: row.nbformat, ydoc: new Uint8Array(row.ydoc), ydocBaseId: row.ydocBaseId };
    },

    async publish(versionId, { publishedBy, slugPrefix }) {
      const version = await prisma.notebookVersion.findUnique({ where: { id: versionId }, select: { id: true } });
      if (!version) throw new NotFoundError(versionId);
      // Idempotent: a version has at most one slug; publishing twice keeps the first.
      const row = await prisma.publication.upsert({
        where: { versionId },
        create: { versionId, slug: newSlug(slugPrefix), publishedBy },
        update: {},
        select: { slug: true },
      });
      return row.slug;
    },

    async setReaderComments(versionId, allowed) {
      const { count } = await prisma.publication.updateMany({ where: { versionId }, data: { readerComments: allowed } });
      return count > 0;
    },

    async unpublish(versionId) {
      const { count } = await prisma.publication.deleteMany({ where: { versionId } });
      return count > 0;
    },

    async bySlug(slug) {
      if (!/^[a-z0-9-]{1,100}$/.test(slug)) return null;
      const publication = await prisma.publication.findUnique({ where: { slug }, select: { version: { select: recordFields } } });
      return publication && toRecord(publication.version);
    },
  };
}

// Shared by the version routes: the version a request names together with the
// caller's access to its notebook, checked at `level` (404 when unknown), a
// version as the browser sees it, and the body that names a new version.
import { z } from 'zod';
import type { VersionRecord } from '../../storage';
import { NotFoundError } from '../../storage';
import type { NotebookAccess } from '../server/notebook-access';
import { getStorage } from '../server/storage';
import { requireNotebookAccess, type NotebookAccessLevel } from './access';

export async function requireVersionAccess(
  request: Request, versionId: string, level: NotebookAccessLevel,
): Promise<{ version: VersionRecord; access: NotebookAccess }> {
  const version = await (await getStorage()).versions.get(versionId);
  if (!version) throw new NotFoundError(versionId);
  const access = await requireNotebookAccess(request, version.notebookId, level);
  return { version, access };
}

/** A version as the browser sees it (dates as ISO strings). */
export function versionJSON(version: VersionRecord) {
  return {
    id: version.id,
    notebookId: version.notebookId,
    name: version.name,
    authorName: version.authorName,
    kind: version.kind,
    createdAt: version.createdAt.toISOString(),
    runResult: version.runResult,
    publishedUrl: version.publishedSlug ? `/p/${version.publishedSlug}` : null,
    readerComments: version.readerComments,
  };
}

/** The body of a request that makes a version: its name, optional (versionName fills one in). */
export const versionNameBody = z.object({ name: z.string().max(10_000).optional() });

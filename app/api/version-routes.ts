// Shared by the version routes: the version a request names together with the
// caller's access to its notebook, checked at `level` (404 when unknown).
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
  };
}

/** The request's JSON body as an object ({} when absent or not JSON). */
export async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  try {
    const body = (await request.json()) as unknown;
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

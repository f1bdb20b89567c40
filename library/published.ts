// A published version as its public page and downloads need it: the version,
// its notebook's title (as it is now) and the saved notebook. Only a version
// that is published right now resolves; anything else is "not found".
import type { NotebookJSON } from '../notebook-model/nbformat';
import type { Storage, VersionRecord } from '../storage';
import { loadVersionNotebook } from './version-content';

export interface PublishedNotebook {
  slug: string;
  version: VersionRecord;
  title: string;
  notebook: NotebookJSON;
  forkCount: number;
}

export async function loadPublished(storage: Storage, slug: string): Promise<PublishedNotebook | null> {
  const version = await storage.versions.bySlug(slug);
  if (!version) return null;
  const record = await storage.notebooks.get(version.notebookId);
  if (!record) return null;
  return {
    slug,
    version,
    title: record.title,
    notebook: await loadVersionNotebook(storage, version.id),
    forkCount: await storage.notebooks.forkCount(version.notebookId),
  };
}

/** True when a fresh-run version ran every cell without an error: the "reproducible run" badge. */
export function isReproducibleRun(version: VersionRecord): boolean {
  if (version.kind !== 'fresh-run') return false;
  const result = version.runResult as { ok?: unknown } | null;
  return result?.ok === true;
}

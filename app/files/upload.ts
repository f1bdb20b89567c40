// Browser side of the notebook file routes: which files may be offered, and
// posting them as multipart forms. Responses are read as JSON whatever the status,
// since the routes explain refusals in the body.

export const ACCEPTED_FILES = '.ipynb,.py';

export interface ImportedFileResult {
  fileName: string;
  id?: string;
  url?: string;
  error?: string;
  problems?: string[];
}

async function postFiles(url: string, files: File[]): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  for (const file of files) form.append('file', file, file.name);
  const res = await fetch(url, { method: 'POST', body: form });
  const body = await res.json().catch(() => ({ error: `The server answered ${res.status} ${res.statusText}.` }));
  return { status: res.status, body };
}

/** Imports files as new notebooks; one result per file, in order. */
export async function importFiles(files: File[]): Promise<ImportedFileResult[]> {
  try {
    const { body } = await postFiles('/api/notebooks/import', files);
    if (Array.isArray(body.files)) return body.files as ImportedFileResult[];
    return files.map((f) => ({ fileName: f.name, error: String(body.error ?? 'Import failed.') }));
  } catch (err) {
    return files.map((f) => ({ fileName: f.name, error: `Could not reach the server: ${(err as Error).message}` }));
  }
}

/** Replaces a notebook's content with a file; resolves with an error to show, or undefined on success. */
export async function replaceWithFile(notebookId: string, file: File): Promise<{ error: string; problems?: string[] } | undefined> {
  try {
    const { status, body } = await postFiles(`/api/notebooks/${encodeURIComponent(notebookId)}/replace`, [file]);
    if (status === 200) return undefined;
    return { error: String(body.error ?? `Replace failed (${status}).`), problems: body.problems as string[] | undefined };
  } catch (err) {
    return { error: `Could not reach the server: ${(err as Error).message}` };
  }
}

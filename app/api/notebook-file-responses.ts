// How the notebook file routes answer: typed errors from the file library
// mapped to HTTP statuses and JSON bodies a client can show as they are.
import { NotFoundError } from '../../storage';
import { NotebookFormatError, ReplaceFailedError, UnsupportedFileError } from '../../library/notebook-files';
import { AccessDeniedError } from './access';

export interface FileRefusal {
  error: string;
  /** Every problem found in the file, when it was read as a notebook. */
  problems?: string[];
}

/** The refusal for a file the user sent, or undefined when the error is not about the file. */
export function refusalOf(err: unknown): FileRefusal | undefined {
  if (err instanceof NotebookFormatError) return { error: err.message, problems: err.problems };
  if (err instanceof UnsupportedFileError) return { error: err.message };
  return undefined;
}

/** A JSON error response for errors any notebook route may meet; rethrows the unexpected. */
export function errorResponse(err: unknown): Response {
  const refusal = refusalOf(err);
  if (refusal) return Response.json(refusal, { status: 422 });
  if (err instanceof NotFoundError) return Response.json({ error: err.message }, { status: 404 });
  if (err instanceof AccessDeniedError) return Response.json({ error: err.message }, { status: err.status });
  if (err instanceof ReplaceFailedError) return Response.json({ error: `Could not replace the notebook: ${err.message}` }, { status: err.status === undefined ? 503 : 502 });
  throw err;
}

/** The uploaded files of a multipart request's `file` fields. */
export async function uploadedFiles(request: Request): Promise<File[]> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return [];
  }
  return form.getAll('file').filter((f): f is File => typeof f !== 'string');
}

export const NO_FILES = 'Send the notebook as multipart/form-data with a "file" field (.ipynb or .py).';

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

// What the notebook file routes share: the uploaded files of a request (read
// within the upload limit before they are parsed) and the download header of
// an exported file.
import { MAX_UPLOAD_BODY_BYTES } from '../../library/notebook-files';
import { formDataOf, HttpRefusal } from '../../notebook-model/http-edge';
import { API_ERROR } from '../../notebook-model/service-protocol';

export const NO_FILES = 'Send the notebook as multipart/form-data with a "file" field (.ipynb or .py).';

/**
 * The uploaded files of a multipart request's `file` fields (at least one).
 * @throws HttpRefusal 413 past the upload limit (refused while streaming, never buffered whole), 400 without files.
 */
export async function uploadedFiles(request: Request): Promise<File[]> {
  let form: FormData;
  try {
    form = await formDataOf(request, MAX_UPLOAD_BODY_BYTES);
  } catch (err) {
    if (err instanceof HttpRefusal && err.status === 400) throw new HttpRefusal(400, NO_FILES, { code: API_ERROR.invalidRequest });
    throw err;
  }
  const files = form.getAll('file').filter((f): f is File => typeof f !== 'string');
  if (files.length === 0) throw new HttpRefusal(400, NO_FILES, { code: API_ERROR.invalidRequest });
  return files;
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

// POST /api/notebooks/import — multipart, one or more `file` fields (.ipynb or
// percent-format .py). Each file becomes a new notebook or is refused on its
// own; the answer lists every file. 200 when all imported, 422 when any was refused;
// 413 for a request past the upload limit (refused while it streams in).
// Signed-in users only; each new notebook is owned by its importer.
import { checkFileSize, importNotebookFile } from '../../../../library/notebook-files';
import type { ImportedFileResult } from '../../../files/upload';
import { getStorage } from '../../../server/storage';
import { requireSignedIn } from '../../access';
import { uploadedFiles } from '../../notebook-file-responses';
import { errorResponse, refusalFor } from '../../refusals';

export const runtime = 'nodejs';

export async function POST(request: Request): Promise<Response> {
  try {
    const user = await requireSignedIn(request);
    const files = await uploadedFiles(request);
    const storage = await getStorage();
    const results: ImportedFileResult[] = [];
    for (const file of files) {
      try {
        checkFileSize(file.name, file.size);
        const record = await importNotebookFile(storage, { fileName: file.name, text: await file.text() });
        await storage.members.grant(record.id, user.id, 'owner'); // the importer owns what they imported
        results.push({ fileName: file.name, id: record.id, url: `/notebooks/${record.id}` });
      } catch (err) {
        // A file that is not a notebook is refused on its own (422); anything else fails the request.
        const refusal = refusalFor(err);
        if (refusal?.status !== 422) throw err;
        const problems = refusal.details.problems as string[] | undefined;
        results.push({ fileName: file.name, error: refusal.message, ...(problems ? { problems } : {}) });
      }
    }
    return Response.json({ files: results }, { status: results.some((r) => r.error) ? 422 : 200 });
  } catch (err) {
    return errorResponse(err);
  }
}

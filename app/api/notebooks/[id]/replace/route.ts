// POST /api/notebooks/:id/replace — multipart `file` (.ipynb or .py) replaces the
// notebook's whole content; connected editors reload. A refused file (422)
// changes nothing. 404 unknown notebook, 503/502 when the collab server is down or refuses.
import { checkFileSize, replaceNotebookFromFile } from '../../../../../library/notebook-files';
import { getStorage } from '../../../../server/storage';
import { requireNotebookAccess } from '../../../access';
import { NO_FILES, uploadedFiles } from '../../../notebook-file-responses';
import { errorResponse } from '../../../refusals';
import { HttpRefusal } from '../../../../../notebook-model/http-edge';

export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    await requireNotebookAccess(request, id, 'edit');
    const [file, ...extra] = await uploadedFiles(request);
    if (extra.length > 0) throw new HttpRefusal(400, NO_FILES);
    checkFileSize(file.name, file.size);
    const { epoch } = await replaceNotebookFromFile(await getStorage(), id, { fileName: file.name, text: await file.text() });
    return Response.json({ id, epoch });
  } catch (err) {
    return errorResponse(err);
  }
}

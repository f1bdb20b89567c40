// GET /api/notebooks/:id/export?format=ipynb|stripped|py|html — the notebook as a
// download (ipynb by default). 404 for an unknown notebook, 400 for an unknown format.
import { EXPORT_FORMATS, exportNotebook, isExportFormat } from '../../../../../library/notebook-files';
import { getStorage } from '../../../../server/storage';
import { requireNotebookAccess } from '../../../access';
import { attachmentDisposition, errorResponse } from '../../../notebook-file-responses';

export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    await requireNotebookAccess(request, id, 'view');
    const format = new URL(request.url).searchParams.get('format') ?? 'ipynb';
    if (!isExportFormat(format)) {
      return Response.json({ error: `Unknown format "${format}"; use one of ${EXPORT_FORMATS.join(', ')}.` }, { status: 400 });
    }
    const file = await exportNotebook(await getStorage(), id, format);
    return new Response(file.body, {
      headers: {
        'content-type': file.contentType,
        'content-disposition': attachmentDisposition(file.fileName),
        'cache-control': 'no-store',
        // The HTML page embeds untrusted output; never let it run as this origin.
        ...(format === 'html' ? { 'content-security-policy': 'sandbox' } : {}),
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}

// GET /api/notebooks/:id/export?format=ipynb|stripped|py|html[&comments=1] — the
// notebook as a download (ipynb by default; comment threads in the cells'
// metadata only with comments=1). 404 for an unknown notebook, 400 for an unknown format.
import { z } from 'zod';
import { EXPORT_FORMATS, exportNotebook } from '../../../../../library/notebook-files';
import { validate } from '../../../../../notebook-model/http-edge';
import { getStorage } from '../../../../server/storage';
import { requireNotebookAccess } from '../../../access';
import { attachmentDisposition } from '../../../notebook-file-responses';
import { errorResponse } from '../../../refusals';

export const runtime = 'nodejs';

const query = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `use one of ${EXPORT_FORMATS.join(', ')}` }).default('ipynb'),
  comments: z.enum(['0', '1'], { error: 'comments is 0 or 1' }).default('0'),
});

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    await requireNotebookAccess(request, id, 'view');
    const { format, comments } = validate(query, Object.fromEntries(new URL(request.url).searchParams), 'query');
    const file = await exportNotebook(await getStorage(), id, format, { withComments: comments === '1' });
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

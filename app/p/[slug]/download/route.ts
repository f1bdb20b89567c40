// GET /p/:slug/download?format=ipynb|stripped|py — a published version as a
// file, for anyone (no account). 404 once it is unpublished.
import { z } from 'zod';
import { loadPublished } from '../../../../library/published';
import { exportVersion, VERSION_DOWNLOADS } from '../../../../library/versions';
import { HttpRefusal, validate } from '../../../../notebook-model/http-edge';
import { attachmentDisposition } from '../../../api/notebook-file-responses';
import { errorResponse } from '../../../api/refusals';
import { getStorage } from '../../../server/storage';

export const runtime = 'nodejs';

const query = z.object({ format: z.enum(VERSION_DOWNLOADS, { error: `use one of ${VERSION_DOWNLOADS.join(', ')}` }).default('ipynb') });

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await params;
  try {
    const { format } = validate(query, Object.fromEntries(new URL(request.url).searchParams), 'query');
    const storage = await getStorage();
    const published = await loadPublished(storage, slug);
    if (!published) throw new HttpRefusal(404, 'No published notebook at this address.');
    const file = await exportVersion(storage, published.version.id, format, published.title);
    return new Response(file.body, {
      headers: { 'content-type': file.contentType, 'content-disposition': attachmentDisposition(file.fileName), 'cache-control': 'no-store' },
    });
  } catch (err) {
    return errorResponse(err);
  }
}

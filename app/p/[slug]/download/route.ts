// GET /p/:slug/download?format=ipynb|stripped|py — a published version as a
// file, for anyone (no account). 404 once it is unpublished.
import { loadPublished } from '../../../../library/published';
import { exportVersion, isVersionDownload, VERSION_DOWNLOADS } from '../../../../library/versions';
import { attachmentDisposition } from '../../../api/notebook-file-responses';
import { getStorage } from '../../../server/storage';

export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await params;
  const format = new URL(request.url).searchParams.get('format') ?? 'ipynb';
  if (!isVersionDownload(format)) {
    return Response.json({ error: `Unknown format "${format}"; use one of ${VERSION_DOWNLOADS.join(', ')}.` }, { status: 400 });
  }
  const storage = await getStorage();
  const published = await loadPublished(storage, slug);
  if (!published) return Response.json({ error: 'No published notebook at this address.' }, { status: 404 });
  const file = await exportVersion(storage, published.version.id, format, published.title);
  return new Response(file.body, {
    headers: { 'content-type': file.contentType, 'content-disposition': attachmentDisposition(file.fileName), 'cache-control': 'no-store' },
  });
}

// GET /api/notebooks/:id/session — a fresh collab token, role and the current
// document epoch for an open notebook page. 404 when the notebook is gone, 403
// when it exists but this person's access was withdrawn (an open page then says
// which of the two happened; a workshop guest learns that their copy expired
// or their workshop ended), 401 when not signed in.
import { accessEnded } from '../../../../server/access-ended';
import { grantForPage } from '../../../../server/notebook-grant';
import { getStorage } from '../../../../server/storage';
import { AccessDeniedError, requireNotebookAccess } from '../../../access';
import { errorResponse } from '../../../refusals';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    const access = await requireNotebookAccess(request, id, 'view');
    const record = await (await getStorage()).notebooks.get(id);
    if (!record) return Response.json({ error: 'This notebook no longer exists.' }, { status: 404 });
    return Response.json(await grantForPage(record, access), { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    // A workshop guest whose copy expired or whose workshop ended is told so.
    const ended = err instanceof AccessDeniedError && (await accessEnded(await getStorage(), id, request.headers));
    if (ended) return Response.json({ error: ended.message, ended: ended.kind }, { status: 403 });
    if (err instanceof AccessDeniedError && err.status === 404 && (await (await getStorage()).notebooks.get(id))) {
      return Response.json({ error: 'You no longer have access to this notebook.' }, { status: 403 });
    }
    return errorResponse(err);
  }
}

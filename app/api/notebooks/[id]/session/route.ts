// GET /api/notebooks/:id/session — a fresh collab token, role and the current
// document epoch for an open notebook page. 404 when the notebook is gone or
// this person's access was withdrawn (the same answer for both, so ids cannot
// be probed), 401 when not signed in. A workshop guest whose copy expired or
// whose workshop ended is told which (403 with `ended`): their own guest pass
// for this notebook says so, which a stranger cannot have.
import { HttpRefusal } from '../../../../../notebook-model/http-edge';
import { accessEnded } from '../../../../server/access-ended';
import { grantForPage } from '../../../../server/notebook-grant';
import { getStorage } from '../../../../server/storage';
import { AccessDeniedError, notebookNotFound, requireNotebookAccess } from '../../../access';
import { errorResponse } from '../../../refusals';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    const access = await requireNotebookAccess(request, id, 'view');
    const record = await (await getStorage()).notebooks.get(id);
    if (!record) throw notebookNotFound(id);
    return Response.json(await grantForPage(record, access), { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    const ended = err instanceof AccessDeniedError && (await accessEnded(await getStorage(), id, request.headers));
    if (ended) return errorResponse(new HttpRefusal(403, ended.message, { details: { ended: ended.kind } }));
    return errorResponse(err);
  }
}

// POST /api/notebooks/:id/fork {versionId?} — "Copy & edit": a new notebook of
// the caller's with this notebook's content (or one of its versions'). Anyone
// with a role on the notebook may fork it; a guest has no account to own a fork.
import { forkNotebook } from '../../../../../library/versions';
import { getStorage } from '../../../../server/storage';
import { AccessDeniedError, requireNotebookAccess } from '../../../access';
import { errorResponse } from '../../../notebook-file-responses';
import { jsonBody } from '../../../version-routes';

export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    const access = await requireNotebookAccess(request, id, 'view');
    if (!access.user) throw new AccessDeniedError('Sign in to fork a notebook: the copy needs an owner.', 401);
    const body = await jsonBody(request);
    const versionId = typeof body.versionId === 'string' ? body.versionId : undefined;
    const fork = await forkNotebook(await getStorage(), { notebookId: id, versionId }, access.user.id);
    return Response.json({ id: fork.id, url: `/notebooks/${fork.id}` }, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}

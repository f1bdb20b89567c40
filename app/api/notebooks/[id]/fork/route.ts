// POST /api/notebooks/:id/fork {versionId?, withComments?} — "Copy & edit": a new notebook of
// the caller's with this notebook's content (or one of its versions'). Anyone
// with a role on the notebook may fork it; a guest has no account to own a fork.
import { forkNotebook } from '../../../../../library/versions';
import { getStorage } from '../../../../server/storage';
import { AccessDeniedError, requireNotebookAccess } from '../../../access';
import { errorResponse } from '../../../refusals';
import { z } from 'zod';
import { jsonBodyOf } from '../../../../../notebook-model/http-edge';

export const runtime = 'nodejs';

const body = z.object({ versionId: z.string().min(1).max(100).optional(), withComments: z.boolean().optional() });

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    const access = await requireNotebookAccess(request, id, 'view');
    if (!access.user) throw new AccessDeniedError('Sign in to fork a notebook: the copy needs an owner.', 401);
    const { versionId, withComments } = await jsonBodyOf(request, body);
    const fork = await forkNotebook(await getStorage(), { notebookId: id, versionId, withComments }, access.user.id);
    return Response.json({ id: fork.id, url: `/notebooks/${fork.id}` }, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}

// /api/notebooks/:id/workshop — the notebook's workshop, for its signed-in owners:
//   GET     the live workshop and its two links ({ workshop: null } when none)
//   POST    { attendeeRole?: "viewer" | "commenter" | "editor" } starts one (409 when one is live)
//   DELETE  ends the live one: both links revoked at once, their guests disconnected
//           (409 when none is live); guests' forks are kept until their expiry.
import { z } from 'zod';
import { announceAccessChanged } from '../../../../server/access-changed';
import type { NotebookAccess } from '../../../../server/notebook-access';
import { getStorage } from '../../../../server/storage';
import { endWorkshop, startWorkshop, workshopView } from '../../../../server/workshops';
import { AccessDeniedError, requireNotebookAccess } from '../../../access';
import { errorResponse } from '../../../refusals';
import { HttpRefusal, jsonBodyOf } from '../../../../../notebook-model/http-edge';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

const startSchema = z.object({
  attendeeRole: z.enum(['viewer', 'commenter', 'editor'], { error: 'Attendees can be viewers, commenters or editors.' }).default('viewer'),
});

/** Owners only, and only with an account: a workshop is started and ended by someone accountable. */
async function requireOwner(request: Request, id: string): Promise<NotebookAccess & { user: NonNullable<NotebookAccess['user']> }> {
  const access = await requireNotebookAccess(request, id, 'own');
  if (!access.user) throw new AccessDeniedError('Only a signed-in owner of this notebook can run a workshop on it.', 403);
  return access as NotebookAccess & { user: NonNullable<NotebookAccess['user']> };
}

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  try {
    await requireOwner(request, id);
    const storage = await getStorage();
    const live = await storage.workshops.live(id);
    return Response.json({ workshop: live && (await workshopView(storage, live)) }, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  try {
    const owner = await requireOwner(request, id);
    const { attendeeRole } = await jsonBodyOf(request, startSchema);
    const storage = await getStorage();
    const workshop = await startWorkshop(storage, { notebookId: id, startedBy: owner.user.id, attendeeRole });
    return Response.json({ workshop: await workshopView(storage, workshop) }, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  try {
    await requireOwner(request, id);
    const ended = await endWorkshop(await getStorage(), id);
    if (!ended) throw new HttpRefusal(409, 'No workshop is running on this notebook.');
    // Its guests lose access now: the collab server closes their sockets at once.
    await announceAccessChanged(id);
    return Response.json({
      workshop: { id: ended.id, endedAt: ended.endedAt?.toISOString() ?? null, forksExpireAt: ended.forksExpireAt?.toISOString() ?? null },
    });
  } catch (err) {
    return errorResponse(err);
  }
}

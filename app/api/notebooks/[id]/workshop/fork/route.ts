// POST /api/notebooks/:id/workshop/fork — "Try it myself": a private fork of
// the workshop notebook as it stands, for an attendee. Signed in: owned by the
// account. A guest of the workshop's links: owned by the guest, who gets a pass
// for it in this response's cookie (see app/server/workshop-forks.ts).
// 201 { id, url, owner: "account" | "guest" }; 409 when no workshop is live;
// 429 when the person made as many copies as one may.
// GET — the copies the person asking made in the live workshop, newest first:
// { copies: [{ id, url, createdAt }] }.
import { currentUser } from '../../../../../server/accounts';
import { getStorage } from '../../../../../server/storage';
import { attendeeForks, forkForAttendee } from '../../../../../server/workshop-forks';
import { requireNotebookAccess } from '../../../../access';
import { errorResponse } from '../../../../refusals';

export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

/** Who asks about the workshop notebook `id`: their access, account (if signed in) and the live workshop. */
async function attendeeAsking(request: Request, id: string) {
  const access = await requireNotebookAccess(request, id, 'view');
  const storage = await getStorage();
  const user = access.user ?? (await currentUser(request.headers));
  return { storage, access, user, live: await storage.workshops.live(id) };
}

export async function GET(request: Request, { params }: Context): Promise<Response> {
  try {
    const { storage, access, user, live } = await attendeeAsking(request, (await params).id);
    const copies = await attendeeForks(storage, access, user, live);
    return Response.json(
      { copies: copies.map((c) => ({ id: c.id, url: `/notebooks/${c.id}`, createdAt: c.createdAt.toISOString() })) },
      { headers: { 'cache-control': 'no-store' } },
    );
  } catch (err) {
    return errorResponse(err);
  }
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  try {
    const { storage, access, user, live } = await attendeeAsking(request, (await params).id);
    const made = await forkForAttendee(storage, access, user, live);
    const headers = new Headers({ 'cache-control': 'no-store' });
    if (made.setCookie) headers.append('set-cookie', made.setCookie);
    return Response.json({ id: made.fork.id, url: `/notebooks/${made.fork.id}`, owner: made.owner }, { status: 201, headers });
  } catch (err) {
    return errorResponse(err);
  }
}

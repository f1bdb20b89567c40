// POST /p/:slug/fork — "Copy & edit" from a published page, as a plain form
// post (no JavaScript needed): the signed-in reader gets a new notebook of
// their own and is sent to it; someone not signed in is sent to sign in first.
import { loadPublished } from '../../../../library/published';
import { HttpRefusal } from '../../../../notebook-model/http-edge';
import { forkNotebook } from '../../../../library/versions';
import { errorResponse } from '../../../api/refusals';
import { assertSameOrigin } from '../../../api/same-origin';
import { currentUser } from '../../../server/accounts';
import { getStorage } from '../../../server/storage';

export const runtime = 'nodejs';

const seeOther = (request: Request, path: string) => new Response(null, { status: 303, headers: { location: new URL(path, request.url).toString() } });

export async function POST(request: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await params;
  try {
    assertSameOrigin(request);
    const storage = await getStorage();
    const published = await loadPublished(storage, slug);
    if (!published) throw new HttpRefusal(404, 'No published notebook at this address.');
    const user = await currentUser(request.headers);
    if (!user) return seeOther(request, `/sign-in?next=${encodeURIComponent(`/p/${slug}`)}`);
    const fork = await forkNotebook(storage, { notebookId: published.version.notebookId, versionId: published.version.id }, user.id);
    return seeOther(request, `/notebooks/${fork.id}`);
  } catch (err) {
    return errorResponse(err);
  }
}

// POST /api/versions/:versionId/publish — makes the version readable by anyone
// at /p/<slug> (owners only); DELETE unpublishes it.
import { getStorage } from '../../../../server/storage';
import { AccessDeniedError } from '../../../access';
import { errorResponse } from '../../../refusals';
import { requireVersionAccess } from '../../../version-routes';

export const runtime = 'nodejs';

type Context = { params: Promise<{ versionId: string }> };

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const { versionId } = await params;
  try {
    const { version, access } = await requireVersionAccess(request, versionId, 'own');
    // A workshop guest owns their copy without an account: publishing for everyone needs one.
    if (!access.user) throw new AccessDeniedError('Sign in to publish: a public page needs an account behind it.', 403);
    const storage = await getStorage();
    const notebook = await storage.notebooks.get(version.notebookId);
    const slug = await storage.versions.publish(versionId, { publishedBy: access.holderId, slugPrefix: notebook?.title ?? '' });
    return Response.json({ slug, url: `/p/${slug}` });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const { versionId } = await params;
  try {
    await requireVersionAccess(request, versionId, 'own');
    const unpublished = await (await getStorage()).versions.unpublish(versionId);
    return Response.json({ unpublished });
  } catch (err) {
    return errorResponse(err);
  }
}

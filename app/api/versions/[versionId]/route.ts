// GET /api/versions/:versionId — one version as the browser sees it (name,
// author, when), for anyone with a role on its notebook; the editor's restore
// notice reads the restored version and the one saved just before it.
import { errorResponse } from '../../refusals';
import { requireVersionAccess, versionJSON } from '../../version-routes';

export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ versionId: string }> }): Promise<Response> {
  const { versionId } = await params;
  try {
    const { version } = await requireVersionAccess(request, versionId, 'view');
    return Response.json({ version: versionJSON(version) });
  } catch (err) {
    return errorResponse(err);
  }
}

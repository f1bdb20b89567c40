// POST /api/versions/:versionId/restore — the notebook becomes this version
// again for everyone connected (editors and owners). 502/503 when the collab
// server refuses or is down: nothing changed then.
import { restoreVersion } from '../../../../../library/versions';
import { getStorage } from '../../../../server/storage';
import { errorResponse } from '../../../refusals';
import { requireVersionAccess } from '../../../version-routes';

export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ versionId: string }> }): Promise<Response> {
  const { versionId } = await params;
  try {
    await requireVersionAccess(request, versionId, 'edit');
    const { epoch, notebookId } = await restoreVersion(await getStorage(), versionId);
    return Response.json({ epoch, url: `/notebooks/${notebookId}` });
  } catch (err) {
    return errorResponse(err);
  }
}

// POST /api/versions/:versionId/restore — the notebook becomes this version
// again for everyone connected (editors and owners), after the document as it
// stood is saved as a version named for the restore (who restored what). 502/503 when the collab
// server refuses or is down: nothing changed then.
import { restoreVersion } from '../../../../../library/versions';
import { getStorage } from '../../../../server/storage';
import { errorResponse } from '../../../refusals';
import { requireVersionAccess } from '../../../version-routes';

export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ versionId: string }> }): Promise<Response> {
  const { versionId } = await params;
  try {
    const { access } = await requireVersionAccess(request, versionId, 'edit');
    const by = { id: access.user?.id ?? null, name: access.name };
    const { epoch, notebookId, backupName } = await restoreVersion(await getStorage(), versionId, { by });
    return Response.json({ epoch, url: `/notebooks/${notebookId}`, backupName });
  } catch (err) {
    return errorResponse(err);
  }
}

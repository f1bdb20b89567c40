// GET /api/notebooks/:id/versions — the notebook's versions, newest first (any role).
// POST /api/notebooks/:id/versions {name} — "Quick save" (editors and owners).
import { saveQuickVersion, versionName } from '../../../../../library/versions';
import { getStorage } from '../../../../server/storage';
import { requireNotebookAccess } from '../../../access';
import { errorResponse } from '../../../refusals';
import { jsonBodyOf } from '../../../../../notebook-model/http-edge';
import { versionJSON, versionNameBody } from '../../../version-routes';

export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  try {
    await requireNotebookAccess(request, id, 'view');
    const versions = await (await getStorage()).versions.list(id);
    return Response.json({ versions: versions.map(versionJSON) }, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  try {
    const access = await requireNotebookAccess(request, id, 'edit');
    const { name } = await jsonBodyOf(request, versionNameBody);
    const version = await saveQuickVersion(await getStorage(), id, {
      name: versionName(name),
      author: { id: access.user?.id ?? null, name: access.name },
    });
    return Response.json({ version: versionJSON(version) }, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}

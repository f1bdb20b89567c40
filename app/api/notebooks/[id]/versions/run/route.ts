// POST /api/notebooks/:id/versions/run {name} — "Save & run all": the kernel
// bridge starts a run of the notebook in a fresh kernel (editors and owners);
// answers 202 at once, 409 when a run is already going, 429/503 when the person
// or the machine has as many kernels going as allowed (app/server/fresh-runs.ts).
// GET — the current or last run's state, for anyone with a role (collaborators
// follow the progress).
import { versionName } from '../../../../../../library/versions';
import { freshRunOf, startFreshRun } from '../../../../../server/fresh-runs';
import { getStorage } from '../../../../../server/storage';
import { notebookNotFound, requireNotebookAccess } from '../../../../access';
import { errorResponse } from '../../../../refusals';
import { jsonBodyOf } from '../../../../../../notebook-model/http-edge';
import { versionNameBody } from '../../../../version-routes';

export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  try {
    const access = await requireNotebookAccess(request, id, 'view');
    return Response.json({ run: await freshRunOf(access) }, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  try {
    const access = await requireNotebookAccess(request, id, 'run');
    const storage = await getStorage();
    if (!(await storage.notebooks.get(id))) throw notebookNotFound(id);
    const { name } = await jsonBodyOf(request, versionNameBody);
    return Response.json({ run: await startFreshRun(access, versionName(name)) }, { status: 202 });
  } catch (err) {
    return errorResponse(err);
  }
}

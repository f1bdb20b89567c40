// GET /api/notebooks/:id/upstream — for a fork: the notebook it was forked from,
// as it stands now (its title and each cell's id, type and source), so the
// fork's page can offer the source's later changes cell by cell
// (notebook-model/upstream.ts decides which). The caller needs a role on the
// fork AND on the source: a fork never lets anyone read a source they cannot
// open (say, after the workshop it came from ended).
import { cellsOf, cellIdOf, cellTypeOf, sourceOf } from '../../../../../notebook-model';
import { loadNotebookDoc } from '../../../../../library/notebook-library';
import { notebookAccess } from '../../../../server/notebook-access';
import { getStorage } from '../../../../server/storage';
import { AccessDeniedError, requireNotebookAccess } from '../../../access';
import { errorResponse } from '../../../refusals';
import type { UpstreamResponse } from '../../../../forks/upstream-response';

export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    await requireNotebookAccess(request, id, 'view');
    const storage = await getStorage();
    const origin = await storage.notebooks.originOf(id);
    if (!origin) throw new AccessDeniedError('This notebook is not a fork: it has no source to take changes from.', 404);
    const record = await storage.notebooks.get(origin.notebookId);
    if (!record || !(await notebookAccess(origin.notebookId, request.headers))) {
      throw new AccessDeniedError('The notebook this fork came from was deleted, or you can no longer open it.', 404);
    }
    const doc = await loadNotebookDoc(storage, origin.notebookId);
    try {
      const cells = cellsOf(doc).map((c) => ({ id: cellIdOf(c), cell_type: cellTypeOf(c), source: sourceOf(c).toString() }));
      const body: UpstreamResponse = { source: { id: record.id, title: record.title }, cells };
      return Response.json(body, { headers: { 'cache-control': 'no-store' } });
    } finally {
      doc.destroy();
    }
  } catch (err) {
    return errorResponse(err);
  }
}

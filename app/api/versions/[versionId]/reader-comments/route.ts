// PUT /api/versions/:versionId/reader-comments { allowed } — lets signed-in
// readers of the version's published page leave comments for the author, or
// stops them (owners only; off by default). 409 when the version is not published.
import { z } from 'zod';
import { HttpRefusal, jsonBodyOf } from '../../../../../notebook-model/http-edge';
import { getStorage } from '../../../../server/storage';
import { errorResponse } from '../../../refusals';
import { requireVersionAccess } from '../../../version-routes';

export const runtime = 'nodejs';

const body = z.object({ allowed: z.boolean({ error: 'allowed is true or false' }) });

export async function PUT(request: Request, { params }: { params: Promise<{ versionId: string }> }): Promise<Response> {
  const { versionId } = await params;
  try {
    await requireVersionAccess(request, versionId, 'own');
    const { allowed } = await jsonBodyOf(request, body);
    if (!(await (await getStorage()).versions.setReaderComments(versionId, allowed))) throw new HttpRefusal(409, 'Publish the version first.');
    return Response.json({ readerComments: allowed });
  } catch (err) {
    return errorResponse(err);
  }
}

// POST /p/:slug/comment (form: cellId, body) — a signed-in reader's comment on
// one cell of a published page, for its author, as a plain form post (no
// JavaScript needed); the reader comes back to the cell. Someone not signed in
// is sent to sign in first. Only where the owner allowed reader comments.
import { z } from 'zod';
import { leaveReaderComment } from '../../../../library/reader-comments';
import { validate } from '../../../../notebook-model/http-edge';
import { maxCommentBodyChars } from '../../../../notebook-model/comments';
import { errorResponse } from '../../../api/refusals';
import { assertSameOrigin } from '../../../api/same-origin';
import { currentUser } from '../../../server/accounts';
import { getStorage } from '../../../server/storage';

export const runtime = 'nodejs';

const form = z.object({
  cellId: z.string().min(1, 'name a cell').max(64),
  body: z.string().min(1, 'write something first').max(maxCommentBodyChars, `a comment is at most ${maxCommentBodyChars} characters`),
});

const seeOther = (request: Request, path: string) => new Response(null, { status: 303, headers: { location: new URL(path, request.url).toString() } });

export async function POST(request: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await params;
  try {
    assertSameOrigin(request);
    const user = await currentUser(request.headers);
    if (!user) return seeOther(request, `/sign-in?next=${encodeURIComponent(`/p/${slug}`)}`);
    const fields = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '']));
    const { cellId, body } = validate(form, fields, 'form');
    await leaveReaderComment(await getStorage(), { slug, reader: { userId: user.id, name: user.name }, cellId, body });
    return seeOther(request, `/p/${encodeURIComponent(slug)}?commented=${encodeURIComponent(cellId)}#cell-${encodeURIComponent(cellId)}`);
  } catch (err) {
    return errorResponse(err);
  }
}

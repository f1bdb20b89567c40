// The page's CommentsUi for an open session, rebuilt when the person's role
// changes (a commenter promoted to editor keeps commenting; a viewer gains it).
import { canComment, canModerateComments, type Role } from '../../auth/roles';
import type { Mentionable } from '../../notebook-model/comments';
import type { NotebookSession } from '../notebook/notebook-session';
import { useOwned } from '../hooks/use-owned';
import { CommentsUi } from './comment-threads';

const noPeople: Mentionable[] = [];

export function useCommentsUi(
  session: NotebookSession | null, me: { userId: string; name: string }, role: Role, notebookId: string, people: Mentionable[] = noPeople,
): CommentsUi | null {
  const { userId, name } = me;
  return useOwned(
    () => (session && userId ? new CommentsUi(session.doc, { userId, name }, canComment(role), canModerateComments(role), notebookId, people) : null),
    [session, userId, name, role, notebookId, people],
  );
}

// The one permission check every notebook route makes, at its top: who is
// asking (session cookie or guest pass), what their role on the notebook is
// now (from the database), and whether it allows the operation. A person with
// no role at all gets 404, exactly as for a notebook that does not exist, so ids
// cannot be probed; someone not signed in gets 401. State-changing requests
// must also come from this app's own pages (see same-origin.ts).
import { canEdit, canRun, type Role } from '../../auth/roles';
import { currentUser, type SignedInUser } from '../server/accounts';
import { notebookAccess, type NotebookAccess } from '../server/notebook-access';
import { assertSameOrigin } from './same-origin';

/** view: read and export; edit: change the document and its file; run: the kernel; own: share, delete. */
export type NotebookAccessLevel = 'view' | 'edit' | 'run' | 'own';

export class AccessDeniedError extends Error {
  readonly status: 401 | 403 | 404;
  constructor(message: string, status: 401 | 403 | 404 = 403) {
    super(message);
    this.name = 'AccessDeniedError';
    this.status = status;
  }
}

/** The one answer for a notebook that does not exist and for one the caller has no role on. */
export function notebookNotFound(notebookId: string): AccessDeniedError {
  return new AccessDeniedError(`Notebook "${notebookId}" does not exist (or you have no access to it).`, 404);
}

export function allows(role: Role, level: NotebookAccessLevel): boolean {
  switch (level) {
    case 'view': return true;
    case 'edit': return canEdit(role);
    case 'run': return canRun(role);
    case 'own': return role === 'owner';
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** @throws CrossSiteRequestError for a state-changing request from another site's page. */
function checkOrigin(request: Request): void {
  if (unsafeMethods.has(request.method.toUpperCase())) assertSameOrigin(request);
}

/** The caller's access to the notebook when it allows `level`; throws AccessDeniedError (or CrossSiteRequestError) otherwise. */
export async function requireNotebookAccess(request: Request, notebookId: string, level: NotebookAccessLevel): Promise<NotebookAccess> {
  checkOrigin(request);
  const access = await notebookAccess(notebookId, request.headers);
  if (!access) {
    if (!(await currentUser(request.headers))) throw new AccessDeniedError('Sign in to open this notebook.', 401);
    throw notebookNotFound(notebookId);
  }
  if (!allows(access.role, level)) {
    throw new AccessDeniedError(`Your role on this notebook (${access.role}) does not allow this; ask its owner.`, 403);
  }
  return access;
}

/** The signed-in user (for routes not about one notebook, such as import); throws AccessDeniedError. */
export async function requireSignedIn(request: Request): Promise<SignedInUser> {
  checkOrigin(request);
  const user = await currentUser(request.headers);
  if (!user) throw new AccessDeniedError('Sign in first.', 401);
  return user;
}

// What a person gets when they open a notebook: a notebook-scoped token for the
// collab server and the kernel bridge, their role, and the document epoch their
// page was built for. Minted by the notebook page and again by the session
// route when an open page needs a fresh token (expired, or the collab server
// withdrew it). The role is the one the database gives now (see
// notebook-access.ts), and the token says how it was obtained so the servers can
// re-check it while the page stays open.
import { signNotebookToken } from '../../auth/notebook-token';
import type { Role } from '../../auth/roles';
import type { NotebookRecord } from '../../storage';
import type { NotebookAccess } from './notebook-access';

export interface NotebookGrantForPage {
  token: string;
  role: Role;
  epoch: string;
}

/** Short: the page asks for a fresh one when it is refused. */
const TOKEN_SECONDS = 2 * 3600;

export async function grantForPage(notebook: NotebookRecord, access: NotebookAccess): Promise<NotebookGrantForPage> {
  const token = await signNotebookToken(
    { notebookId: notebook.id, role: access.role, name: access.name, userId: access.holderId, via: access.via },
    TOKEN_SECONDS,
  );
  return { token, role: access.role, epoch: notebook.epoch };
}

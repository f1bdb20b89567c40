// The role of this page, live: the one the page was built with until the collab
// server announces another (an owner promoted or demoted this person while the
// notebook is open), so the editor turns editable or read-only without a reload.
import { useSyncExternalStore } from 'react';
import type { Role } from '../../auth/roles';
import type { NotebookSession } from './notebook-session';

export function useSessionRole(session: NotebookSession | null, initial: Role): Role {
  return useSyncExternalStore(
    (changed) => (session ? session.onRoleChange(changed) : () => {}),
    () => session?.role ?? initial,
    () => initial,
  );
}

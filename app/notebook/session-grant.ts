// Asks the app for a fresh grant of an open notebook (token, role, epoch) via
// GET /api/notebooks/:id/session, and says plainly what came back.
import type { Role } from '../../auth/roles';

export type GrantAnswer =
  | { kind: 'ok'; token: string; role: Role; epoch: string }
  | { kind: 'gone' }
  | { kind: 'denied'; message: string }
  | { kind: 'unreachable' };

export type FetchGrant = () => Promise<GrantAnswer>;

/** What a page says when the app answers 404: deleted and withdrawn look the same from outside. */
export const NOTEBOOK_UNAVAILABLE = 'This notebook was deleted, or your access to it was withdrawn. Your unsaved changes here are not kept anywhere else.';

export function grantFetcher(notebookId: string): FetchGrant {
  return async () => {
    let res: Response;
    try {
      res = await fetch(`/api/notebooks/${encodeURIComponent(notebookId)}/session`, { cache: 'no-store' });
    } catch {
      return { kind: 'unreachable' };
    }
    if (res.status === 404) return { kind: 'gone' };
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok && typeof body.token === 'string' && typeof body.epoch === 'string') {
      return { kind: 'ok', token: body.token, epoch: body.epoch, role: body.role as Role };
    }
    if (res.status === 401 || res.status === 403) return { kind: 'denied', message: String(body.error ?? 'Access to this notebook was withdrawn.') };
    return { kind: 'unreachable' };
  };
}

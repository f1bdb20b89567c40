// After any change of who may do what on a notebook, the app tells the collab
// server, which re-checks every open socket of that notebook at once (demote,
// promote or disconnect). If the collab server is down there is nothing open to
// re-check, and new sockets are checked against the database when they connect.
import { signServiceToken } from '../../auth/service-token';
import { collabInternalUrl } from '../../config/env';

export async function announceAccessChanged(notebookId: string): Promise<void> {
  try {
    const res = await fetch(`${collabInternalUrl()}/notebooks/${encodeURIComponent(notebookId)}/access`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await signServiceToken('access-changed', notebookId)}` },
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) console.error(`access change of ${notebookId}: collab server answered ${res.status}`);
  } catch (err) {
    console.error(`access change of ${notebookId}: collab server unreachable (${(err as Error).message})`);
  }
}

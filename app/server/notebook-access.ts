// Who is asking, and what may they do on this notebook? Decided on the server
// from the database for every page, route and action: a signed-in member has
// their membership's role; a guest has the role of the share link they joined
// through while it is live. Anyone else has no access at all.
import { headers } from 'next/headers';
import type { AccessPath } from '../../auth/notebook-token';
import type { Role } from '../../auth/roles';
import { currentUser, type SignedInUser } from './accounts';
import { guestCookieName, readGuestPass } from './guest-pass';
import { getStorage } from './storage';

export interface NotebookAccess {
  notebookId: string;
  role: Role;
  /** Display name for collaborators. */
  name: string;
  /** Stable id for presence and kernel input routing. */
  holderId: string;
  /** How the access was obtained, carried in the notebook token. */
  via: AccessPath;
  /** Set for members; null for guests. */
  user: SignedInUser | null;
}

/** The value of one cookie in a Cookie header. */
function cookieValue(requestHeaders: Headers, name: string): string | undefined {
  for (const part of (requestHeaders.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/**
 * The access of this request's person to the notebook, or null when they have
 * none. Route handlers pass their request's headers; pages and actions leave it to Next's.
 */
export async function notebookAccess(notebookId: string, requestHeaders?: Headers): Promise<NotebookAccess | null> {
  const storage = await getStorage();
  const source = requestHeaders ?? (await headers());
  const user = await currentUser(source);
  if (user) {
    const role = await storage.members.roleOf(notebookId, user.id);
    if (role) return { notebookId, role, name: user.name, holderId: user.id, via: { kind: 'member', userId: user.id }, user };
  }
  const guestId = await readGuestPass(cookieValue(source, guestCookieName(notebookId)), notebookId);
  if (!guestId) return null;
  const guest = await storage.shareLinks.getGuest(guestId);
  if (!guest) return null;
  const role = await storage.shareLinks.activeRole(notebookId, guest.shareLinkId);
  if (!role) return null;
  return { notebookId, role, name: guest.name, holderId: `guest:${guest.id}`, via: { kind: 'link', linkId: guest.shareLinkId }, user: null };
}

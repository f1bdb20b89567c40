// Who is asking, and what may they do on this notebook? Decided on the server
// from the database for every page, route and action: a signed-in member has
// their membership's role; a guest has the role of the share link they joined
// through while it is live; a workshop guest is the owner of their own fork
// (their pass for it says so) until the fork expires. Anyone else has no
// access at all.
import { headers } from 'next/headers';
import type { AccessPath } from '../../auth/notebook-token';
import type { Role } from '../../auth/roles';
import { currentUser, type SignedInUser } from './accounts';
import { guestCookieName, readGuestPassOf } from './guest-pass';
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
  /** The Guest id for guests (through a link, or owning their fork); null for members. */
  guestId: string | null;
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
    if (role) return { notebookId, role, name: user.name, holderId: user.id, via: { kind: 'member', userId: user.id }, user, guestId: null };
  }
  const pass = await readGuestPassOf(guestPassCookieOf(source, notebookId), notebookId);
  if (!pass) return null;
  if (pass.ownCopy) {
    const role = await storage.notebooks.guestOwnerRole(notebookId, pass.guestId);
    const owner = role && (await storage.notebooks.guestOwnership(notebookId));
    if (!role || !owner) return null;
    return {
      notebookId, role, name: owner.name, holderId: `guest:${pass.guestId}`,
      via: { kind: 'guest-owner', guestId: pass.guestId }, user: null, guestId: pass.guestId,
    };
  }
  const guest = await storage.shareLinks.getGuest(pass.guestId);
  if (!guest) return null;
  const role = await storage.shareLinks.activeRole(notebookId, guest.shareLinkId);
  if (!role) return null;
  return { notebookId, role, name: guest.name, holderId: `guest:${guest.id}`, via: { kind: 'link', linkId: guest.shareLinkId }, user: null, guestId: guest.id };
}

/** The raw guest pass cookie of this notebook in a request's headers. */
export function guestPassCookieOf(requestHeaders: Headers, notebookId: string): string | undefined {
  return cookieValue(requestHeaders, guestCookieName(notebookId));
}

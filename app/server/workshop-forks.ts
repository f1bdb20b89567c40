// "Try it myself": an attendee's private fork of the workshop notebook as it
// stands. A signed-in attendee owns it by their account, like any fork. A
// guest has no account: the fork records the guest as its owner and the guest
// gets a pass for it (an own-copy pass), so the fork is theirs independently of
// the workshop's links. It stays theirs after the workshop ends, until
// WORKSHOP_FORK_RETENTION_DAYS after the end (see app/server/workshops.ts).
import { forkNotebook } from '../../library/versions';
import type { NotebookRecord, Storage, WorkshopRecord } from '../../storage';
import type { SignedInUser } from './accounts';
import { GUEST_COPY_PASS_SECONDS, guestPassCookie, signGuestPass } from './guest-pass';
import type { NotebookAccess } from './notebook-access';

export class WorkshopForkRefusal extends Error {
  readonly status: 403 | 409;
  constructor(message: string, status: 403 | 409) {
    super(message);
    this.name = 'WorkshopForkRefusal';
    this.status = status;
  }
}

export interface AttendeeFork {
  fork: NotebookRecord;
  owner: 'account' | 'guest';
  /** For a guest: the Set-Cookie value of their pass for the fork. */
  setCookie: string | null;
}

/**
 * Forks the notebook for the person asking. `user` is their account when they
 * are signed in (even if they joined through the link as a guest). Throws
 * WorkshopForkRefusal: no live workshop (409), or a guest not of this workshop (403).
 */
export async function forkForAttendee(
  storage: Storage, access: NotebookAccess, user: SignedInUser | null, live: WorkshopRecord | null,
): Promise<AttendeeFork> {
  if (!live) throw new WorkshopForkRefusal('No workshop is running on this notebook now, so there is nothing to try here.', 409);
  const source = { notebookId: access.notebookId, workshopId: live.id };
  if (user) return { fork: await forkNotebook(storage, source, user.id), owner: 'account', setCookie: null };

  const workshopLink = access.via.kind === 'link' && (access.via.linkId === live.attendeeLinkId || access.via.linkId === live.presenterLinkId);
  if (!workshopLink || !access.guestId) {
    throw new WorkshopForkRefusal('Copies are for the workshop\'s attendees: join through the workshop link, or sign in.', 403);
  }
  const fork = await forkNotebook(storage, source, { guest: { guestId: access.guestId, name: access.name } });
  // The workshop may have ended while the fork was being made: give it the expiry the others got.
  await storage.workshops.settleForkExpiry(live.id);
  const pass = await signGuestPass(access.guestId, fork.id, { ownCopy: true });
  return { fork, owner: 'guest', setCookie: guestPassCookie(fork.id, pass, GUEST_COPY_PASS_SECONDS) };
}

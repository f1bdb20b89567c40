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

/** Copies one person may make in one workshop: plenty to try things, not a way to fill the disk. */
export const WORKSHOP_COPIES_PER_PERSON = 10;

export class WorkshopForkRefusal extends Error {
  readonly status: 403 | 409 | 429;
  constructor(message: string, status: 403 | 409 | 429) {
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
 * WorkshopForkRefusal: no live workshop (409), a guest not of this workshop
 * (403), or WORKSHOP_COPIES_PER_PERSON copies made already (429; two requests
 * at the same instant may both pass, so the bound is loose by that much).
 */
export async function forkForAttendee(
  storage: Storage, access: NotebookAccess, user: SignedInUser | null, live: WorkshopRecord | null,
): Promise<AttendeeFork> {
  if (!live) throw new WorkshopForkRefusal('No workshop is running on this notebook now, so there is nothing to try here.', 409);
  const owner = copyOwner(access, user, live);
  if (!owner) throw new WorkshopForkRefusal('Copies are for the workshop\'s attendees: join through the workshop link, or sign in.', 403);
  if ((await storage.notebooks.workshopForks(live.id, owner)).length >= WORKSHOP_COPIES_PER_PERSON) {
    throw new WorkshopForkRefusal(
      `You already have ${WORKSHOP_COPIES_PER_PERSON} copies from this workshop, the most one person may make; carry on in one of them.`, 429,
    );
  }
  const source = { notebookId: access.notebookId, workshopId: live.id };
  if ('userId' in owner) return { fork: await forkNotebook(storage, source, owner.userId), owner: 'account', setCookie: null };

  const fork = await forkNotebook(storage, source, { guest: { guestId: owner.guestId, name: access.name } });
  // The workshop may have ended while the fork was being made: give it the expiry the others got.
  await storage.workshops.settleForkExpiry(live.id);
  const pass = await signGuestPass(owner.guestId, fork.id, { ownCopy: true });
  return { fork, owner: 'guest', setCookie: guestPassCookie(fork.id, pass, GUEST_COPY_PASS_SECONDS) };
}

/**
 * The copies the person asking has made in the live workshop, newest first
 * (none when no workshop is live or they may not make copies).
 */
export async function attendeeForks(
  storage: Storage, access: NotebookAccess, user: SignedInUser | null, live: WorkshopRecord | null,
): Promise<NotebookRecord[]> {
  const owner = live && copyOwner(access, user, live);
  return owner ? storage.notebooks.workshopForks(live.id, owner) : [];
}

/** Whose copies these are: the account when signed in, else a guest of the workshop's own links; null for anyone else. */
function copyOwner(access: NotebookAccess, user: SignedInUser | null, live: WorkshopRecord): { userId: string } | { guestId: string } | null {
  if (user) return { userId: user.id };
  const workshopLink = access.via.kind === 'link' && (access.via.linkId === live.attendeeLinkId || access.via.linkId === live.presenterLinkId);
  return workshopLink && access.guestId ? { guestId: access.guestId } : null;
}

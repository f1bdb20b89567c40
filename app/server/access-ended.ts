// Why a guest's pass no longer opens a notebook, when the reason is a
// workshop's: their own copy expired (and was, or is about to be, deleted), or
// the workshop they joined ended. Pages and the session route show this
// instead of "sign in" or "not found", which would puzzle someone who had a
// working page a moment ago. Only the holder of a valid pass for this notebook
// learns anything; everyone else gets the usual answer.
import type { Storage } from '../../storage';
import { readGuestPassOf } from './guest-pass';
import { guestPassCookieOf } from './notebook-access';
import { formatTimestamp } from '../../library/timestamps';

export type AccessEnded =
  | { kind: 'copy-expired'; message: string }
  | { kind: 'workshop-ended'; message: string };

export const COPY_EXPIRED_MESSAGE =
  'This copy has expired. Workshop guests\' copies are kept for a limited time after the workshop ends, then deleted. '
  + 'Next time, download your copy before then, or sign up and make it with your account.';

export async function accessEnded(storage: Storage, notebookId: string, requestHeaders: Headers, now = new Date()): Promise<AccessEnded | null> {
  const pass = await readGuestPassOf(guestPassCookieOf(requestHeaders, notebookId), notebookId);
  if (!pass) return null;
  if (pass.ownCopy) {
    const owner = await storage.notebooks.guestOwnership(notebookId);
    // Gone altogether: guests' copies are only ever deleted by the expiry sweep.
    if (!owner) return (await storage.notebooks.get(notebookId)) ? null : { kind: 'copy-expired', message: COPY_EXPIRED_MESSAGE };
    const expired = owner.guestId === pass.guestId && owner.expiresAt !== null && owner.expiresAt <= now;
    return expired ? { kind: 'copy-expired', message: COPY_EXPIRED_MESSAGE } : null;
  }
  const guest = await storage.shareLinks.getGuest(pass.guestId);
  if (!guest) return null;
  const workshop = (await storage.workshops.list(notebookId))
    .find((w) => w.attendeeLinkId === guest.shareLinkId || w.presenterLinkId === guest.shareLinkId);
  if (!workshop?.endedAt) return null;
  const kept = workshop.forksExpireAt ? ` (until ${formatTimestamp(workshop.forksExpireAt)})` : '';
  return {
    kind: 'workshop-ended',
    message: `This workshop has ended, so its link no longer opens the notebook. Copies you made with “Try it myself” are still yours${kept}.`,
  };
}

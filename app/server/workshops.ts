// A notebook's workshop as the app runs it: starting one (an attendee link and
// a presenter link), showing its links to the owner for as long as it is live,
// ending it (both links revoked at once, guests' forks given their expiry), and
// who is a presenter on the notebook page.
//
// The links' secrets are derived from the installation's secret and the link
// id (HMAC), so the owner can copy them again at any time during the workshop
// while the database still keeps only their hashes: a copy of the database
// alone opens nothing, as for every other share link. Rotating the secret
// changes the derived secrets, so a workshop's links stop working then (as do
// all guest passes); end it and start a new one.
import { createHmac, randomUUID } from 'node:crypto';
import { canEdit, type Role } from '../../auth/roles';
import { tokenSecret, workshopForkRetentionDays } from '../../config/env';
import type { Storage, WorkshopRecord } from '../../storage';
import type { NotebookAccess } from './notebook-access';

/** The secret of a workshop link: 43 characters of base64url, like any share link's. */
export function workshopLinkSecret(linkId: string): string {
  return createHmac('sha256', tokenSecret()).update(`cellmate workshop link ${linkId}`).digest('base64url');
}

/** What the owner sees of a live workshop: its links (paths; the page adds its origin) and the attendees' role. */
export interface WorkshopView {
  id: string;
  startedAt: string;
  attendeeRole: Role;
  attendeePath: string;
  presenterPath: string;
}

export function joinPath(linkId: string): string {
  return `/join/${workshopLinkSecret(linkId)}`;
}

export async function workshopView(storage: Storage, workshop: WorkshopRecord): Promise<WorkshopView> {
  const attendeeLink = await storage.shareLinks.get(workshop.attendeeLinkId);
  return {
    id: workshop.id,
    startedAt: workshop.startedAt.toISOString(),
    attendeeRole: attendeeLink?.role ?? 'viewer',
    attendeePath: joinPath(workshop.attendeeLinkId),
    presenterPath: joinPath(workshop.presenterLinkId),
  };
}

/** Starts a workshop on the notebook. Throws WorkshopLiveError, NotFoundError. */
export async function startWorkshop(
  storage: Storage, input: { notebookId: string; startedBy: string; attendeeRole: 'viewer' | 'commenter' | 'editor' },
): Promise<WorkshopRecord> {
  const link = () => {
    const id = randomUUID();
    return { id, secret: workshopLinkSecret(id) };
  };
  return storage.workshops.start({ ...input, attendeeLink: link(), presenterLink: link() });
}

/** How long guests' forks are kept after a workshop ends (WORKSHOP_FORK_RETENTION_DAYS), in ms. */
export function forkRetentionMs(): number {
  return Math.round(workshopForkRetentionDays() * 24 * 3600 * 1000);
}

/** Ends the notebook's live workshop (null when none is live). The caller tells the collab server. */
export async function endWorkshop(storage: Storage, notebookId: string, now = new Date()): Promise<WorkshopRecord | null> {
  return storage.workshops.end(notebookId, { forkRetentionMs: forkRetentionMs(), now });
}

/** Joined through the live workshop's attendee link. */
export function isWorkshopAttendee(access: NotebookAccess, live: WorkshopRecord | null): boolean {
  return live !== null && access.via.kind === 'link' && access.via.linkId === live.attendeeLinkId;
}

/**
 * Gets the presenter's panel: whoever may edit (owners and editors, the
 * presenter link's co-hosts, other editor links' guests), except attendees,
 * even when the owner made the attendee link an editor one.
 */
export function isPresenter(access: NotebookAccess, live: WorkshopRecord | null): boolean {
  return canEdit(access.role) && !isWorkshopAttendee(access, live);
}

// Deletes guests' workshop forks whose retention has passed (Notebook.expiresAt,
// set when their workshop ended). It runs here because this server holds the
// rooms: an expired fork still open in a tab is first re-checked like after any
// access change — its guest owner's role is gone, so the socket closes with
// 4403 and the page asks the app, which answers "this copy expired" — then the
// notebook is deleted and anything left in its room is closed with 4404.
// Access itself does not wait for the sweep: from the moment of expiry the
// database gives the guest owner no role (see storage guestOwnerRole).
import { NotFoundError, type Storage } from '../storage';
import { reviewAccess, type RoleResolver } from './access-review';
import type { Rooms } from './rooms';

export interface ExpiredForkSweep {
  storage: Storage;
  rooms: Rooms;
  resolveRole: RoleResolver;
}

/** Deletes every fork expired at `now`; returns the ids deleted. */
export async function sweepExpiredForks({ storage, rooms, resolveRole }: ExpiredForkSweep, now = new Date()): Promise<string[]> {
  const deleted: string[] = [];
  for (const notebookId of await storage.notebooks.expired(now)) {
    const room = await rooms.loadedRoom(notebookId);
    if (room) await reviewAccess(room, resolveRole);
    try {
      await storage.notebooks.delete(notebookId);
      deleted.push(notebookId);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err; // another sweep (or process) was first
    }
    await rooms.closeDeleted(notebookId);
  }
  return deleted;
}

// Re-deciding, for every open socket of a room, what its holder may do now.
// Run when the app says access to a notebook changed (a member added, demoted
// or removed; a share link changed or revoked): a socket whose role changed
// keeps its connection and is told the new role (message 100); a socket whose
// access is gone is closed with 4403 and stops being served at once.
import { accessPathKey } from '../auth/current-role';
import type { NotebookGrant } from '../auth/notebook-token';
import type { Role } from '../auth/roles';
import { closeCodes } from '../notebook-model/service-protocol';
import type { Room } from './room';

export interface AccessReview {
  /** Sockets looked at (services, whose role is their token's, are not). */
  reviewed: number;
  changed: number;
  closed: number;
}

export type RoleResolver = (grant: NotebookGrant) => Promise<Role | null>;

export async function reviewAccess(room: Room, resolve: RoleResolver): Promise<AccessReview> {
  const review: AccessReview = { reviewed: 0, changed: 0, closed: 0 };
  // Many guests share one link: ask once per access path.
  const answers = new Map<string, Promise<Role | null>>();
  const tasks = [...room.connections].map(async (connection) => {
    const via = connection.grant.via;
    if (!via) return;
    review.reviewed++;
    const key = accessPathKey(via);
    if (!answers.has(key)) answers.set(key, resolve(connection.grant));
    const role = await answers.get(key)!;
    if (role === null) {
      room.leave(connection);
      connection.close(closeCodes.accessWithdrawn, 'your access to this notebook was withdrawn');
      review.closed++;
    } else if (role !== connection.role) {
      connection.changeRole(role);
      room.stampRole(connection, { republish: true });
      review.changed++;
    }
  });
  await Promise.all(tasks);
  return review;
}

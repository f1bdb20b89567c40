// The role a token's holder has on its notebook right now. A token says what
// the role was when the app minted it; memberships and share links can change
// or end after that, so every server that acts on a grant asks here first.
import type { MemberStore, NotebookStore, ShareLinkStore } from '../storage';
import type { AccessPath, NotebookGrant } from './notebook-token';
import type { Role } from './roles';

export interface AccessRecords {
  members: Pick<MemberStore, 'roleOf'>;
  shareLinks: Pick<ShareLinkStore, 'activeRole'>;
  notebooks: Pick<NotebookStore, 'guestOwnerRole'>;
}

/** Null when the holder has no access any more. Service grants (no `via`) keep the token's role. */
export async function currentRole(records: AccessRecords, grant: NotebookGrant): Promise<Role | null> {
  const via = grant.via;
  if (!via) return grant.role;
  switch (via.kind) {
    case 'member': return records.members.roleOf(grant.notebookId, via.userId);
    case 'link': return records.shareLinks.activeRole(grant.notebookId, via.linkId);
    // A guest's own fork: theirs until it expires, whatever became of the workshop's links.
    case 'guest-owner': return records.notebooks.guestOwnerRole(grant.notebookId, via.guestId);
  }
}

/** One key per access path: holders with equal keys always have the same role. */
export function accessPathKey(via: AccessPath): string {
  switch (via.kind) {
    case 'member': return `member:${via.userId}`;
    case 'link': return `link:${via.linkId}`;
    case 'guest-owner': return `guest-owner:${via.guestId}`;
  }
}

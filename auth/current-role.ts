// The role a token's holder has on its notebook right now. A token says what
// the role was when the app minted it; memberships and share links can change
// or end after that, so every server that acts on a grant asks here first.
import type { MemberStore, ShareLinkStore } from '../storage';
import type { NotebookGrant } from './notebook-token';
import type { Role } from './roles';

export interface AccessRecords {
  members: Pick<MemberStore, 'roleOf'>;
  shareLinks: Pick<ShareLinkStore, 'activeRole'>;
}

/** Null when the holder has no access any more. Service grants (no `via`) keep the token's role. */
export async function currentRole(records: AccessRecords, grant: NotebookGrant): Promise<Role | null> {
  const via = grant.via;
  if (!via) return grant.role;
  if (via.kind === 'member') return records.members.roleOf(grant.notebookId, via.userId);
  return records.shareLinks.activeRole(grant.notebookId, via.linkId);
}

// What each role on a notebook may do. Every server check asks these functions,
// never compares role names itself. From most to least: an owner (everything,
// and removes anyone's comments), an editor (edits cells, runs code, comments),
// a commenter (reads and comments; no cell edits, no code), a viewer (reads).

export const roles = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** May change the shared document (type, add cells, clear outputs). */
export function canEdit(role: Role): boolean {
  return role === 'owner' || role === 'editor';
}

/** May run code on the notebook's kernel (execute, interrupt, restart, input). */
export function canRun(role: Role): boolean {
  return role === 'owner' || role === 'editor';
}

/** May start comment threads, reply, edit and delete own comments, resolve threads, react. */
export function canComment(role: Role): boolean {
  return role !== 'viewer';
}

/** May delete anyone's comment and remove whole threads. */
export function canModerateComments(role: Role): boolean {
  return role === 'owner';
}

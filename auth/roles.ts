// What each role on a notebook may do. Every server check asks these functions,
// never compares role names itself.

export const roles = ['owner', 'editor', 'viewer'] as const;
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

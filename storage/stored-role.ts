// Roles are plain strings in the database; this is the one place that reads and
// checks them, so a bad value fails loudly instead of granting something.
import type { NotebookRole } from './types';

const roles: readonly string[] = ['owner', 'editor', 'commenter', 'viewer'];

export function storedRole(value: string): NotebookRole {
  if (!roles.includes(value)) throw new Error(`"${value}" is not a notebook role (owner, editor, commenter or viewer)`);
  return value as NotebookRole;
}

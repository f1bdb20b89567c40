// Test-only: where the shared notebook corpus lives (outside the repository,
// beside it), read at test time and never copied in.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../../config/env';

// Beside the checkout, or beside the folder of worktrees when this is a git worktree.
export const notebooksDir = [resolve(projectRoot, '..', 'shared', 'notebooks'), resolve(projectRoot, '..', '..', 'shared', 'notebooks')]
  .find((dir) => existsSync(dir)) ?? resolve(projectRoot, '..', 'shared', 'notebooks');

export function readNotebookFiles(folder: 'corpus' | 'invalid'): { name: string; text: string }[] {
  const dir = join(notebooksDir, folder);
  return readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

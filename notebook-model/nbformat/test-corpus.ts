// Test-only: where the shared notebook corpus lives (outside the repository,
// beside it), read at test time and never copied in.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../../config/env';

export const notebooksDir = resolve(projectRoot, '..', 'shared', 'notebooks');

export function readNotebookFiles(folder: 'corpus' | 'invalid'): { name: string; text: string }[] {
  const dir = join(notebooksDir, folder);
  return readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

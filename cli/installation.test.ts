// `npx nb` run from any folder, with no CELLMATE_DATA_DIR, works on the same
// installation `npm start` serves by default (the project's data/ folder, from
// config/env.ts, never the current folder) and says which one it uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../config/env';

test('nb from another folder finds the server\'s default installation and names it', async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'cellmate-nb-cwd-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.CELLMATE_DATA_DIR;
    delete env.DATABASE_URL;
    // A usage error: the command stops before opening the database, so nothing is created anywhere.
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(projectRoot, 'cli/nb.mjs'), 'export'], { cwd: elsewhere, env }, (err, _stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr });
      });
    });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.split('\n')[0], `nb: using the installation at ${join(projectRoot, 'data')}`);
    assert.equal(existsSync(join(elsewhere, 'data')), false, 'no second ./data where nb was run');
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

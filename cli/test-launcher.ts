// For tests: `nb` as a user runs it, the real launcher (cli/nb.mjs) in a child
// process, on the installation in a data folder of the test's own (SQLite; any
// DATABASE_URL of the environment is dropped).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../config/env';

export interface NbResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An `nb` that works on the installation in `dataDir`. */
export function nbIn(dataDir: string): (...args: string[]) => Promise<NbResult> {
  return (...args) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CELLMATE_DATA_DIR: dataDir, PORT: '3999' };
    delete env.DATABASE_URL;
    return new Promise((resolve) => {
      execFile(process.execPath, [join(projectRoot, 'cli/nb.mjs'), ...args], { env, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  };
}

// The bridge's own settings from the environment, with their defaults, in the
// style of config/env.ts (which holds the settings shared by every service).
import { join } from 'node:path';
import { dataDir, ports } from '../config/env';

function nonNegativeInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of at least 0, got "${raw}"`);
  return n;
}

export const bridgeConfig = {
  /** Stop a notebook's kernel after this many seconds without executions (0: never). */
  get idleTimeoutSeconds() { return nonNegativeInt('KERNEL_IDLE_TIMEOUT_SECONDS', 3600); },
  /** Largest output one cell may write into the document, in bytes. */
  get maxOutputBytes() { return nonNegativeInt('KERNEL_MAX_OUTPUT_BYTES', 5 * 1024 * 1024); },
  /** Where the bridge reaches the collab server (`COLLAB_URL`, else localhost on COLLAB_PORT). */
  get collabUrl() { return process.env.COLLAB_URL || `ws://127.0.0.1:${ports.collab}`; },
  /** Parent of the per-notebook kernel working folders. */
  get kernelsDir() { return join(dataDir(), 'kernels'); },
};

// The kernel bridge's own settings from the environment, with their defaults
// (config/env.ts holds the settings shared by every service; config/kernels.ts
// those of the kernel sandbox).
import { join } from 'node:path';
import { dataDir, ports } from './env';
import { isWhole, numberSetting, rawSetting } from './setting';

/** What a kernel may allocate by default: room for numpy, pandas and matplotlib work on one attendee's data. */
export const defaultKernelMemoryLimitMb = 2048;

const nonNegativeInt = (name: string, fallback: number) => numberSetting(name, fallback, isWhole(0), 'a whole number of at least 0');

export const bridgeConfig = {
  /** Stop a notebook's kernel after this many seconds without executions (0: never). */
  get idleTimeoutSeconds() { return nonNegativeInt('KERNEL_IDLE_TIMEOUT_SECONDS', 3600); },
  /** Largest output one cell may write into the document, in bytes. */
  get maxOutputBytes() { return nonNegativeInt('KERNEL_MAX_OUTPUT_BYTES', 5 * 1024 * 1024); },
  /** Kernels that may run (or start) on this machine at once (0: no limit). */
  get maxKernels() { return nonNegativeInt('KERNEL_MAX_TOTAL', 16); },
  /** Kernels one person's requests may have started and still running (0: no limit). */
  get maxKernelsPerPerson() { return nonNegativeInt('KERNEL_MAX_PER_USER', 2); },
  /** Ceiling on each kernel's private memory in MB, on Linux (0: none). */
  get kernelMemoryLimitMb() {
    const mb = nonNegativeInt('KERNEL_MEMORY_LIMIT_MB', defaultKernelMemoryLimitMb);
    // Below this a kernel with numpy loaded has too little left, and native code near the ceiling can hang.
    if (mb > 0 && mb < 512) throw new Error(`KERNEL_MEMORY_LIMIT_MB must be 0 (no limit) or at least 512, got "${mb}"`);
    return mb;
  },
  /** Where the bridge reaches the collab server (`COLLAB_URL`, else localhost on COLLAB_PORT). */
  get collabUrl() { return rawSetting('COLLAB_URL') ?? `ws://127.0.0.1:${ports.collab}`; },
  /** Parent of the per-notebook kernel working folders. */
  get kernelsDir() { return join(dataDir(), 'kernels'); },
  /** Parent of the "Save & run all" runs' working folders (one per notebook, emptied for each run). */
  get freshRunsDir() { return join(dataDir(), 'fresh-runs'); },
};

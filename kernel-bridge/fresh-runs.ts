// The "Save & run all" runs this bridge is doing, at most one per notebook, so
// that anyone looking at the notebook's versions can follow the progress of a
// run someone else started. A finished run is remembered until the next one
// starts (its version id, or why it failed).
//
// Each run starts a kernel of its own through the same provider (and sandbox)
// as the live kernels, charged to the person who started it on the bridge's
// one quota (kernel-quota.ts): a fresh run and the live kernels together stay
// within KERNEL_MAX_TOTAL and KERNEL_MAX_PER_USER.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { saveAndRunAll } from '../library/fresh-run';
import type { VersionAuthor } from '../library/versions';
import type { FreshRunState } from '../notebook-model/service-protocol';
import type { Storage } from '../storage';
import type { KernelProvider } from './kernel-provider';
import type { KernelHolder, KernelQuota } from './kernel-quota';
import { safeFolderName } from './folder-name';

export interface FreshRunsOptions {
  /** Where the notebook is read from and the resulting version saved. */
  storage: Storage;
  /** The bridge's one quota of kernels (the session registry's). */
  quota: KernelQuota;
  /** Where kernels come from (default: the configured provider). */
  provider?: KernelProvider;
  /** Each run's kernel memory ceiling in MB; 0 or absent: none. */
  memoryLimitMb?: number;
  /**
   * Parent of the runs' working folders: `<dir>/<notebook id>`, emptied before
   * each run and removed after it (a fresh run starts from an empty folder).
   */
  workDir: string;
}

export interface StartedFreshRun {
  state: FreshRunState;
  /** Resolves when the run ends, whatever the outcome. */
  finished: Promise<void>;
}

export class FreshRuns {
  private readonly runs = new Map<string, FreshRunState>();
  private readonly going = new Set<Promise<void>>();

  constructor(private readonly options: FreshRunsOptions) {}

  /** The notebook's current or last run; null when none since the bridge started. */
  of(notebookId: string): FreshRunState | null {
    return this.runs.get(notebookId) ?? null;
  }

  /**
   * Starts a run unless one is already running for the notebook (then returns
   * null). Throws KernelLimitError when the person or the machine already has
   * as many kernels (live or fresh-run) as allowed; a refused run leaves no state.
   */
  start(notebookId: string, input: { name: string; author: VersionAuthor; holder: KernelHolder }): StartedFreshRun | null {
    if (this.runs.get(notebookId)?.state === 'running') return null;
    const slot = this.options.quota.reserve(notebookId, input.holder);
    const state: FreshRunState = {
      state: 'running', name: input.name, startedBy: input.author.name, startedAt: new Date().toISOString(),
      progress: null, versionId: null, error: null,
    };
    this.runs.set(notebookId, state);
    const cwd = join(this.options.workDir, safeFolderName(notebookId));
    const finished = emptyFolder(cwd)
      .then(() => saveAndRunAll(this.options.storage, notebookId, {
        name: input.name,
        author: input.author,
        onProgress: (progress) => { state.progress = progress; },
        runOptions: { provider: this.options.provider, memoryLimitMb: this.options.memoryLimitMb, cwd },
      }))
      .then((version) => {
        state.state = 'done';
        state.versionId = version.id;
      })
      .catch((err: unknown) => {
        state.state = 'failed';
        state.error = (err as Error).message;
      })
      .finally(async () => {
        await rm(cwd, { recursive: true, force: true }).catch(() => {});
        slot.release();
        this.going.delete(finished);
      });
    this.going.add(finished);
    return { state, finished };
  }

  /** Resolves once every run going has ended (their kernels are shut down by then). */
  async settle(): Promise<void> {
    await Promise.all([...this.going]);
  }
}

async function emptyFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

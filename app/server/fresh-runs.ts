// The "Save & run all" runs going on in this server process, at most one per
// notebook, so that anyone looking at the notebook's versions can follow the
// progress of a run someone else started. A finished run is remembered until
// the next one starts (its version id, or why it failed).
//
// Each run starts a kernel of its own, so runs are bounded like the live
// kernels are: at most KERNEL_MAX_PER_USER going per person and KERNEL_MAX_TOTAL
// on the machine (counted here, apart from the kernel bridge's live kernels),
// each kernel under KERNEL_MEMORY_LIMIT_MB.
import { bridgeConfig } from '../../kernel-bridge/bridge-config';
import { KernelLimitError, KernelQuota } from '../../kernel-bridge/kernel-quota';
import { saveAndRunAll, type FreshRunProgress } from '../../library/fresh-run';
import type { VersionAuthor } from '../../library/versions';
import type { Storage } from '../../storage';

export interface FreshRunState {
  state: 'running' | 'done' | 'failed';
  name: string;
  startedBy: string;
  startedAt: string;
  progress: FreshRunProgress | null;
  versionId: string | null;
  error: string | null;
}

/** A run refused because too many are going: 429 for the person's limit, 503 for the machine's. */
export class FreshRunLimitError extends Error {
  constructor(readonly status: 429 | 503, message: string) {
    super(message);
    this.name = 'FreshRunLimitError';
  }
}

const key = Symbol.for('cellmate.fresh-runs');
const quotaKey = Symbol.for('cellmate.fresh-run-kernels');
type Holder = { [key]?: Map<string, FreshRunState>; [quotaKey]?: KernelQuota };

function runs(): Map<string, FreshRunState> {
  const holder = globalThis as Holder;
  return (holder[key] ??= new Map());
}

function kernels(): KernelQuota {
  const holder = globalThis as Holder;
  return (holder[quotaKey] ??= new KernelQuota({ maxTotal: bridgeConfig.maxKernels, maxPerPerson: bridgeConfig.maxKernelsPerPerson }));
}

export function freshRunOf(notebookId: string): FreshRunState | null {
  return runs().get(notebookId) ?? null;
}

/**
 * Starts a run unless one is already running for the notebook (then returns
 * null). Throws FreshRunLimitError when the person (`holderId`: the stable id
 * of their access) or the machine already has as many runs going as allowed.
 * `finished` resolves when it ends, whatever the outcome.
 */
export function startFreshRun(
  storage: Storage, notebookId: string, input: { name: string; author: VersionAuthor; holderId: string },
): { state: FreshRunState; finished: Promise<void> } | null {
  if (runs().get(notebookId)?.state === 'running') return null;
  let slot;
  try {
    slot = kernels().reserve(notebookId, { userId: input.holderId, name: input.author.name });
  } catch (err) {
    if (!(err instanceof KernelLimitError)) throw err;
    throw err.limit === 'person'
      ? new FreshRunLimitError(429, `You already have ${err.max === 1 ? 'a "Save & run all" run' : `${err.max} "Save & run all" runs`} going, the most one person may run at once; try again when ${err.max === 1 ? 'it' : 'one'} finishes.`)
      : new FreshRunLimitError(503, `This server is already running its maximum of ${err.max} "Save & run all" runs; try again when one finishes.`);
  }
  const state: FreshRunState = {
    state: 'running', name: input.name, startedBy: input.author.name, startedAt: new Date().toISOString(),
    progress: null, versionId: null, error: null,
  };
  runs().set(notebookId, state);
  const finished = saveAndRunAll(storage, notebookId, {
    name: input.name,
    author: input.author,
    onProgress: (progress) => { state.progress = progress; },
    runOptions: { memoryLimitMb: bridgeConfig.kernelMemoryLimitMb },
  })
    .then((version) => {
      state.state = 'done';
      state.versionId = version.id;
    })
    .catch((err: unknown) => {
      state.state = 'failed';
      state.error = (err as Error).message;
    })
    .finally(() => slot.release());
  return { state, finished };
}

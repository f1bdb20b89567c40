// The "Save & run all" runs going on in this server process, at most one per
// notebook, so that anyone looking at the notebook's versions can follow the
// progress of a run someone else started. A finished run is remembered until
// the next one starts (its version id, or why it failed).
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

const key = Symbol.for('cellmate.fresh-runs');
type Holder = { [key]?: Map<string, FreshRunState> };

function runs(): Map<string, FreshRunState> {
  const holder = globalThis as Holder;
  return (holder[key] ??= new Map());
}

export function freshRunOf(notebookId: string): FreshRunState | null {
  return runs().get(notebookId) ?? null;
}

/**
 * Starts a run unless one is already running for the notebook (then returns
 * null). `finished` resolves when it ends, whatever the outcome.
 */
export function startFreshRun(
  storage: Storage, notebookId: string, input: { name: string; author: VersionAuthor },
): { state: FreshRunState; finished: Promise<void> } | null {
  if (runs().get(notebookId)?.state === 'running') return null;
  const state: FreshRunState = {
    state: 'running', name: input.name, startedBy: input.author.name, startedAt: new Date().toISOString(),
    progress: null, versionId: null, error: null,
  };
  runs().set(notebookId, state);
  const finished = saveAndRunAll(storage, notebookId, { ...input, onProgress: (progress) => { state.progress = progress; } })
    .then((version) => {
      state.state = 'done';
      state.versionId = version.id;
    })
    .catch((err: unknown) => {
      state.state = 'failed';
      state.error = (err as Error).message;
    });
  return { state, finished };
}

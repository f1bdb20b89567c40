// Reloading for a replaced document, without a reload loop: if the page keeps
// being told its document is stale right after loading (the server and the
// database disagree about the epoch), it stops after a few tries and says so.

/** Reloads allowed within WINDOW_MS before the page gives up. */
const MAX_RELOADS = 3;
const WINDOW_MS = 30_000;

export interface ReloadEnvironment {
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  now: () => number;
  reload: () => void;
}

function browserEnvironment(): ReloadEnvironment {
  return { storage: window.sessionStorage, now: Date.now, reload: () => window.location.reload() };
}

/** Reloads the page unless it already did so too often just now; returns whether it reloads. */
export function reloadForReplacedDocument(notebookId: string, env: ReloadEnvironment = browserEnvironment()): boolean {
  const key = `cellmate:replaced-reloads:${notebookId}`;
  const now = env.now();
  let recent: number[] = [];
  try {
    const parsed: unknown = JSON.parse(env.storage.getItem(key) ?? '[]');
    if (Array.isArray(parsed)) recent = parsed.filter((t): t is number => typeof t === 'number' && now - t < WINDOW_MS);
  } catch {
    // a corrupt entry counts as none
  }
  if (recent.length >= MAX_RELOADS) return false;
  try {
    env.storage.setItem(key, JSON.stringify([...recent, now]));
  } catch {
    // storage full or disabled: reload anyway, once is still right
  }
  env.reload();
  return true;
}

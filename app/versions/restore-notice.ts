// Carrying "who restored what" across the reload a restore forces: the page
// told to reload (close 4409) keeps the restore its close reason names in
// sessionStorage for this notebook, and the reloaded page takes it (once) to
// show the notice. Nothing is kept for a reload that is not a restore. The
// notice is taken from storage once per page load and remembered for that load
// (pageRestoreNotice), since the editor mounts its banners again once the
// document arrives.
import { restoreNoticeOf, type RestoreNotice } from '../../notebook-model/service-protocol';

const keyFor = (notebookId: string) => `cellmate:restore-notice:${notebookId}`;

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const browserStore = (): Store | null => (typeof window === 'undefined' ? null : window.sessionStorage);

/** Keeps the restore a 4409 close `reason` tells of, for the page that loads next. */
export function keepRestoreNotice(notebookId: string, reason: string, store: Store | null = browserStore()): void {
  const notice = restoreNoticeOf(reason);
  if (!notice || !store) return;
  try {
    store.setItem(keyFor(notebookId), JSON.stringify(notice));
  } catch {
    // storage full or disabled: the reload still happens, without the notice
  }
}

/** The restore kept for this notebook, removed as it is read; null when there is none. */
export function takeRestoreNotice(notebookId: string, store: Store | null = browserStore()): RestoreNotice | null {
  if (!store) return null;
  try {
    const kept = store.getItem(keyFor(notebookId));
    if (kept === null) return null;
    store.removeItem(keyFor(notebookId));
    const value = JSON.parse(kept) as Partial<RestoreNotice>;
    // Read back through the close-reason grammar, so only well-formed ids reach a URL.
    return typeof value.restoredVersionId === 'string'
      ? restoreNoticeOf(`document replaced; restored ${value.restoredVersionId}${value.backupVersionId ? ` ${value.backupVersionId}` : ''}`)
      : null;
  } catch {
    return null;
  }
}

/** What this page load took from storage, per notebook (a remounted notice finds it here). */
const takenThisLoad = new Map<string, RestoreNotice | null>();

/** The restore this page load was told of for this notebook; the same answer however often it is asked. */
export function pageRestoreNotice(notebookId: string): RestoreNotice | null {
  if (!takenThisLoad.has(notebookId)) takenThisLoad.set(notebookId, takeRestoreNotice(notebookId));
  return takenThisLoad.get(notebookId) ?? null;
}

/** The notice was dismissed: a later mount in this page load shows nothing. */
export function dismissPageRestoreNotice(notebookId: string): void {
  takenThisLoad.set(notebookId, null);
}

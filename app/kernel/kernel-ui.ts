'use client';
// Everything the notebook page needs for its shared kernel, built once per open
// notebook session: the bridge client, the live kernel state from awareness,
// the run actions, this tab's notices, and the editor extensions (completion,
// help). A viewer gets the state (they watch the kernel too) but no way to run.
import type { Extension } from '@codemirror/state';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { kernelCompletion } from './completion';
import { kernelInspectTooltip } from './inspect-tooltip';
import { KernelActions } from './kernel-actions';
import { KernelClient } from './kernel-client';
import { KernelNotices } from './kernel-notices';
import { KernelStateStore } from './use-kernel-state';
import { KernelResourcesStore } from './use-kernel-resources';
import { useLatest } from '../hooks/use-latest';
import { useOwned } from '../hooks/use-owned';

export interface KernelUi {
  client: KernelClient;
  state: KernelStateStore;
  /** The kernel's variables and memory (from the bridge's awareness). */
  resources: KernelResourcesStore;
  actions: KernelActions;
  notices: KernelNotices;
  /** May this person run code (the bridge checks it again)? */
  canRun: boolean;
  /** This person's user id: only the person who ran a cell answers its input(). */
  userId: string;
  /** Extensions for code cells' editors (empty for viewers: the kernel refuses them anyway). */
  codeEditorExtensions: Extension;
}

/** The parts of the notebook session the kernel UI uses. */
export interface KernelUiSource {
  doc: Y.Doc;
  provider: { awareness: Awareness };
  /** The origin of this tab's edits. */
  localOrigin: unknown;
}

export interface KernelUiOptions {
  bridgeUrl: string;
  notebookId: string;
  userId: string;
  canRun: boolean;
  /** The current notebook token (it may be renewed while the page is open). */
  token: () => string;
}

export function createKernelUi(source: KernelUiSource, options: KernelUiOptions): KernelUi & { destroy(): void } {
  const client = new KernelClient({ bridgeUrl: options.bridgeUrl, notebookId: options.notebookId, token: options.token });
  const state = new KernelStateStore(source.provider.awareness);
  const resources = new KernelResourcesStore(source.provider.awareness);
  const notices = new KernelNotices();
  // The bridge's state came back (it restarted, or this page reconnected): an "unreachable" notice is over.
  const unwatch = state.subscribe(() => { if (state.state.status !== 'none') notices.bridgeHeardFrom(); });
  return {
    client,
    state,
    resources,
    notices,
    actions: new KernelActions(source.doc, client, notices, source.localOrigin),
    canRun: options.canRun,
    userId: options.userId,
    codeEditorExtensions: options.canRun ? [kernelCompletion(client), kernelInspectTooltip(client)] : [],
    destroy: () => { unwatch(); state.destroy(); resources.destroy(); },
  };
}

/** The kernel UI for a session, or null while there is none (or no bridge is configured). */
export function useKernelUi(source: KernelUiSource | null, options: KernelUiOptions | null): KernelUi | null {
  // The token getter is read at request time; a new function identity must not rebuild the UI.
  const token = useLatest(options?.token);
  const { bridgeUrl = '', notebookId = '', userId = '', canRun = false } = options ?? {};
  return useOwned(
    () => (source && bridgeUrl ? createKernelUi(source, { bridgeUrl, notebookId, userId, canRun, token: () => token.current?.() ?? '' }) : null),
    [source, bridgeUrl, notebookId, userId, canRun, token],
  );
}

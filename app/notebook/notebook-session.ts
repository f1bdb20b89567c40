// One open notebook in this browser tab: the Y.Doc, its y-websocket provider,
// the awareness (who is here, their cursors), the connection state, and the one
// undo manager. Created once per page load and never recreated on reconnect, so
// offline edits stay in the doc and y-websocket merges them when the socket
// returns. When the server ends the connection for good, close-policy.ts says
// what to do: reload for a replaced document (old history must never be merged
// into the new one), fetch a fresh token for a withdrawn one, or stop and say why.
//
// Undo: one Y.UndoManager over the whole cell list, tracking only this user's
// origins: `localOrigin` (every structural operation made here) plus each
// editor's y-codemirror sync config (added by yCollab while the editor lives).
// Collaborators' changes and kernel outputs arrive with other origins and are
// never undone from here.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { removeAwarenessStates } from 'y-protocols/awareness';
import { readVarString, readVarUint } from 'lib0/decoding';
import { isRole, type Role } from '../../auth/roles';
import { cellsOf, upstreamBaseOf } from '../../notebook-model';
import { roleChangedMessageType, type PresenceUser } from '../../notebook-model/service-protocol';
import { actionForClose, CHECK_ACCESS_AFTER_FAILURES } from './close-policy';
import { ConnectionState } from './connection-state';
import { grantFetcher, NOTEBOOK_UNAVAILABLE, type FetchGrant, type GrantAnswer } from './session-grant';
import { keepRestoreNotice } from '../versions/restore-notice';

export interface SessionUser {
  name: string;
  /** `#rrggbb` */
  color: string;
}

/** What each collaborator publishes in awareness (y-codemirror adds `cursor`). */
export interface PresenceState {
  user?: PresenceUser;
  cellId?: string | null;
  /** Written by the collab server (never trusted from the client): this person's role now. */
  role?: string;
}

export interface NotebookSessionOptions {
  collabUrl: string;
  notebookId: string;
  token: string;
  /** The document lineage this page was built for; the server closes with 4409 when it is stale. */
  epoch: string;
  user: SessionUser;
  /**
   * The page's copy can no longer follow the server's: the document was
   * replaced (reload), or the server refused an edit of ours (`refusal`: the
   * reason it gave; the page says so and offers the reload).
   */
  onReplaced: (refusal?: string) => void;
  /** The server will not take this page back (notebook deleted, access gone…); `message` says why. */
  onStopped: (message: string) => void;
  /** How to ask the app for a fresh token (defaults to the session route). */
  fetchGrant?: FetchGrant;
  /** For tests outside a browser. */
  WebSocketPolyfill?: typeof WebSocket;
  /** Longest wait between reconnection attempts (y-websocket's default is 2.5 s). */
  maxBackoffTime?: number;
}

/** y-websocket's auth message and its only answer, "permission denied". */
const PERMISSION_MESSAGE = 2;
const PERMISSION_DENIED = 0;

/** Minimum time between two "is my access still good?" questions to the app. */
const ACCESS_CHECK_INTERVAL_MS = 10_000;
/** Wait before asking again when the app itself could not be reached. */
const ACCESS_RETRY_MS = 3_000;

export class NotebookSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly undoManager: Y.UndoManager;
  readonly connection: ConnectionState;
  /** The transaction origin of every structural edit made in this tab. */
  readonly localOrigin = { source: 'cellmate:local-user' };
  private readonly cleanups: (() => void)[] = [];
  private readonly fetchGrant: FetchGrant;
  private opened = false;
  private failedInRow = 0;
  private lastAccessCheck = 0;
  private ended = false;
  private destroyed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private currentRole: Role | null = null;
  private readonly roleListeners = new Set<(role: Role) => void>();

  constructor(private readonly options: NotebookSessionOptions) {
    this.fetchGrant = options.fetchGrant ?? grantFetcher(options.notebookId);
    this.provider = new WebsocketProvider(options.collabUrl, options.notebookId, this.doc, {
      params: { token: options.token, epoch: options.epoch },
      // Tabs must not sync with each other behind the server's back: a stale tab
      // of an older epoch would otherwise leak old history into the new document.
      disableBc: true,
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
      ...(options.maxBackoffTime ? { maxBackoffTime: options.maxBackoffTime } : {}),
    });
    // A fork's upstream base is in scope, so undoing a pull offers the change again.
    this.undoManager = new Y.UndoManager([cellsOf(this.doc), upstreamBaseOf(this.doc)], { trackedOrigins: new Set<unknown>([this.localOrigin]) });
    this.connection = new ConnectionState(this.provider, this.doc);

    this.provider.awareness.setLocalStateField('user', {
      name: options.user.name,
      color: options.user.color,
      colorLight: `${options.user.color}33`,
    });

    // The collab server's message 100: an owner changed this page's role while it is open.
    this.provider.messageHandlers[roleChangedMessageType] = (_encoder, decoder) => {
      const role = readVarString(decoder);
      if (isRole(role)) this.setRole(role);
    };

    // The server refused an edit of ours (our role was lowered while we typed):
    // this replica now holds changes the shared document never will, and later
    // edits would build on them. Start over from the server's copy, saying why.
    this.provider.messageHandlers[PERMISSION_MESSAGE] = (_encoder, decoder) => {
      if (readVarUint(decoder) === PERMISSION_DENIED) this.replaced(readVarString(decoder));
    };

    this.listen('status', ({ status }: { status: string }) => {
      if (status === 'connected') this.opened = true;
    });
    this.listen('sync', (synced: boolean) => {
      if (synced) this.failedInRow = 0;
    });
    this.listen('connection-close', (event: { code: number } | null) => {
      const neverOpened = !this.opened;
      this.opened = false;
      // A socket refused at the upgrade (expired token, deleted notebook) looks
      // like a network fault from here; after a few in a row, ask the app.
      if (event === null || !neverOpened || this.ended) return;
      this.failedInRow++;
      if (this.failedInRow >= CHECK_ACCESS_AFTER_FAILURES && !this.connection.browserOffline) void this.checkAccess(false);
    });
    this.listen('closed', ({ code, reason }: { code: number; reason: string }) => {
      const action = actionForClose(code, reason);
      if (action.kind === 'reload') {
        // A restore: the page that loads next says who restored what (app/versions/restore-notice.ts).
        keepRestoreNotice(this.options.notebookId, reason);
        this.replaced();
      } else if (action.kind === 'stop') this.stop(action.message);
      else void this.checkAccess(true);
    });

    // The browser knows about a lost network long before a silent socket times out.
    if (typeof window !== 'undefined') {
      const offline = () => {
        this.connection.setBrowserOffline(true);
        this.provider.disconnect();
      };
      const online = () => {
        this.connection.setBrowserOffline(false);
        if (!this.ended) this.provider.connect();
      };
      // Leaving the page: tell the others at once instead of after awareness's 30 s timeout.
      const leaving = () => removeAwarenessStates(this.provider.awareness, [this.doc.clientID], 'page closed');
      window.addEventListener('offline', offline);
      window.addEventListener('online', online);
      window.addEventListener('pagehide', leaving);
      this.cleanups.push(() => {
        window.removeEventListener('offline', offline);
        window.removeEventListener('online', online);
        window.removeEventListener('pagehide', leaving);
      });
      if (navigator.onLine === false) offline();
    }
  }

  /**
   * Marks which cell this user is on, for everyone's presence list. Outside an
   * editor (command mode) the text cursor collaborators see is taken away, since
   * the editor that drew it no longer has the keys.
   */
  setCurrentCell(cellId: string | null, editing = false): void {
    const local = this.provider.awareness.getLocalState();
    if (!editing && local?.cursor) this.provider.awareness.setLocalStateField('cursor', null);
    if (local?.cellId === cellId) return;
    this.provider.awareness.setLocalStateField('cellId', cellId);
  }

  /** The role the server last announced (null: still the one the page was built with). */
  get role(): Role | null {
    return this.currentRole;
  }

  /** Calls `listener` whenever the role changes; returns the unsubscribe. */
  onRoleChange(listener: (role: Role) => void): () => void {
    this.roleListeners.add(listener);
    return () => this.roleListeners.delete(listener);
  }

  private setRole(role: Role): void {
    if (role === this.currentRole) return;
    this.currentRole = role;
    for (const listener of this.roleListeners) listener(role);
  }

  destroy(): void {
    this.destroyed = true;
    this.roleListeners.clear();
    clearTimeout(this.retryTimer);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.connection.destroy();
    this.undoManager.destroy();
    this.provider.destroy();
    this.provider.awareness.destroy();
    this.doc.destroy();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private listen(event: string, listener: (...args: any[]) => void): void {
    const provider = this.provider as unknown as { on(e: string, l: typeof listener): void; off(e: string, l: typeof listener): void };
    provider.on(event, listener);
    this.cleanups.push(() => provider.off(event, listener));
  }

  /**
   * Asks the app whether this page may still edit this document. `reconnect`:
   * the server stopped us (4403) and we connect again once we have a new token;
   * otherwise the provider is still retrying and only its token is renewed.
   */
  private async checkAccess(reconnect: boolean): Promise<void> {
    const now = Date.now();
    if (!reconnect && now - this.lastAccessCheck < ACCESS_CHECK_INTERVAL_MS) return;
    this.lastAccessCheck = now;
    const answer: GrantAnswer = await this.fetchGrant();
    if (this.destroyed || this.ended) return;
    switch (answer.kind) {
      case 'ok':
        if (answer.epoch !== this.options.epoch) return this.replaced();
        this.provider.params = { ...this.provider.params, token: answer.token };
        this.setRole(answer.role);
        if (reconnect && !this.connection.browserOffline) this.provider.connect();
        return;
      case 'gone':
        return this.stop(NOTEBOOK_UNAVAILABLE);
      case 'denied':
        return this.stop(answer.message);
      case 'unreachable':
        if (reconnect) this.retryTimer = setTimeout(() => void this.checkAccess(true), ACCESS_RETRY_MS);
        return;
    }
  }

  private replaced(refusal?: string): void {
    if (this.ended) return;
    this.ended = true;
    this.provider.disconnect();
    this.connection.setEnded();
    this.options.onReplaced(refusal);
  }

  private stop(message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.provider.disconnect();
    this.connection.setEnded();
    this.options.onStopped(message);
  }
}

// The bridge as one more collaborator of a notebook's Yjs document: it connects
// to the collab server exactly like a browser tab (y-websocket, a notebook token
// it mints for itself), so outputs it writes are persisted and broadcast by the
// server like anyone's edits, and its awareness state carries the kernel status.
//
// Invariants:
// - `doc` is the live replica. When the server closes with 4409 ("document
//   replaced", e.g. an import over this notebook), the old replica is dropped and
//   a fresh doc syncs from the server; listeners of `onReplaced` must stop
//   touching the old one. Nothing written to the old doc reaches the new one.
// - The local awareness state survives a replacement (it is re-published on the
//   new connection), so collaborators never see the kernel status vanish.
// - The token is re-minted before each reconnect, so a long-lived peer never
//   presents an expired token. With it goes a kernel-presence service token:
//   the collab server accepts a `kernel` awareness field from this socket only.
// - With several bridges, the peer of a notebook's kernel session presents the
//   fence of the kernel lease it was opened under on every (re)connect; once
//   another bridge holds a newer lease the collab server refuses its writes and
//   closes it with 4412 (collab-server/lease-fence.ts), which ends the session.
// - The bridge publishes only its own awareness state, and keeps no one else's:
//   y-websocket would otherwise relay every state it received (and adopt a
//   forged one for its own client id), re-publishing what it did not produce.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import * as encoding from 'lib0/encoding';
import { encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness';
import { kernelBridgeUserId, signNotebookToken } from '../auth/notebook-token';
import { signServiceToken } from '../auth/service-token';
import { closeCodes, kernelFenceParam } from '../notebook-model/service-protocol';

/** y-websocket's awareness message type. */
const messageAwareness = 1;

/** Who the bridge is in the room (display name, colour of its cursor-less presence). */
export const bridgeUser = { name: 'Kernel', color: '#888' } as const;

export interface DocumentPeerOptions {
  /** Base websocket URL of the collab server, e.g. `ws://localhost:1234`. */
  collabUrl: string;
  notebookId: string;
  /** How long `connect` waits for the first sync before giving up. */
  syncTimeoutMs?: number;
  /** The fence of the kernel lease this peer writes under (several bridges; kernel-lease.ts), if any. */
  kernelFence?: number;
}

type ReplacedListener = (fresh: Y.Doc, stale: Y.Doc) => void;
type ClosedListener = (reason: string) => void;

/** Mints the tokens the bridge presents to the collab server for one notebook (the websocket's query parameters), with its lease fence if any. */
export async function mintBridgeParams(notebookId: string, kernelFence?: number): Promise<Record<string, string>> {
  return {
    token: await signNotebookToken({ notebookId, role: 'editor', name: bridgeUser.name, userId: kernelBridgeUserId }),
    service: await signServiceToken('kernel-presence', notebookId, 12 * 3600),
    ...(kernelFence === undefined ? {} : { [kernelFenceParam]: String(kernelFence) }),
  };
}

export class DocumentPeer {
  readonly notebookId: string;
  private readonly options: DocumentPeerOptions & { syncTimeoutMs: number };
  private provider!: WebsocketProvider;
  private currentDoc!: Y.Doc;
  private localFields: Record<string, unknown> = {};
  private replacedListeners = new Set<ReplacedListener>();
  private closedListeners = new Set<ClosedListener>();
  private closed = false;

  private constructor(options: DocumentPeerOptions) {
    this.options = { ...options, syncTimeoutMs: options.syncTimeoutMs ?? 15_000 };
    this.notebookId = options.notebookId;
  }

  /** Connects to the notebook's room and resolves once the replica has synced. */
  static async connect(options: DocumentPeerOptions): Promise<DocumentPeer> {
    const peer = new DocumentPeer(options);
    try {
      await peer.attach(await peer.mintParams());
    } catch (err) {
      peer.close();
      throw err;
    }
    return peer;
  }

  /** The live replica of the notebook document. */
  get doc(): Y.Doc {
    return this.currentDoc;
  }

  get awareness(): Awareness {
    return this.provider.awareness;
  }

  /** Sets one field of the bridge's awareness state (e.g. `kernel`) and publishes it. */
  setAwarenessField(key: string, value: unknown): void {
    this.localFields[key] = value;
    if (!this.closed) this.provider.awareness.setLocalState({ user: bridgeUser, ...this.localFields });
  }

  /** Called with the fresh doc after a 4409 replacement; returns an unsubscribe function. */
  onReplaced(listener: ReplacedListener): () => void {
    this.replacedListeners.add(listener);
    return () => this.replacedListeners.delete(listener);
  }

  /** Called when the server refused the peer for good (any other 44xx close). */
  onClosed(listener: ClosedListener): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  /** Leaves the room: clears the awareness state, closes the socket, drops the replica. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
  }

  private mintParams(): Promise<Record<string, string>> {
    return mintBridgeParams(this.notebookId, this.options.kernelFence);
  }

  private async attach(params: Record<string, string>): Promise<void> {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(this.options.collabUrl, encodeURIComponent(this.notebookId), doc, {
      params,
      WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
      disableBc: true,
    });
    this.currentDoc = doc;
    this.provider = provider;
    publishOnlyOwnState(provider);
    provider.awareness.setLocalState({ user: bridgeUser, ...this.localFields });

    // Re-mint before each reconnect; the provider reads `params` when it opens the next socket.
    provider.on('connection-close', () => {
      if (this.provider !== provider || this.closed) return;
      this.mintParams().then((fresh) => { provider.params = fresh; }, () => {});
    });
    provider.on('closed', (event: { code: number; reason: string }) => {
      if (this.provider !== provider || this.closed) return;
      if (event.code === closeCodes.documentReplaced) void this.replaceDoc(doc);
      else {
        const reason = `the collab server closed the notebook connection (${event.code}${event.reason ? `: ${event.reason}` : ''})`;
        for (const listener of this.closedListeners) listener(reason);
      }
    });
    await waitForSync(provider, this.options.syncTimeoutMs, this.notebookId);
  }

  private async replaceDoc(stale: Y.Doc): Promise<void> {
    this.detach();
    try {
      await this.attach(await this.mintParams());
    } catch (err) {
      for (const listener of this.closedListeners) listener((err as Error).message);
      return;
    }
    if (this.closed) return;
    for (const listener of this.replacedListeners) listener(this.currentDoc, stale);
  }

  private detach(): void {
    const provider = this.provider;
    if (!provider) return;
    provider.awareness.setLocalState(null); // tell everyone the kernel presence left
    provider.destroy();
    provider.awareness.destroy();
    this.currentDoc.destroy();
  }
}

/**
 * Others' awareness is ignored on arrival (the bridge never reads it), and only
 * the bridge's own entry is ever sent: y-websocket's handler would send every
 * change, including states received from others.
 */
function publishOnlyOwnState(provider: WebsocketProvider): void {
  provider.messageHandlers[messageAwareness] = () => {};
  const awareness = provider.awareness;
  const relayAll = (provider as unknown as { _awarenessUpdateHandler: (...args: unknown[]) => void })._awarenessUpdateHandler;
  awareness.off('update', relayAll);
  awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    if (![...added, ...updated, ...removed].includes(awareness.clientID) || !provider.wsconnected || !provider.ws) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageAwareness);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]));
    provider.ws.send(encoding.toUint8Array(encoder));
  });
}

function waitForSync(provider: WebsocketProvider, timeoutMs: number, notebookId: string): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      provider.off('sync', onSync);
      provider.off('closed', onClosed);
      if (err) reject(err);
      else resolve();
    };
    const onSync = (synced: boolean) => { if (synced) done(); };
    const onClosed = (event: { code: number; reason: string }) =>
      done(new Error(`the collab server refused notebook ${notebookId} (${event.code}${event.reason ? `: ${event.reason}` : ''})`));
    const timer = setTimeout(
      () => done(new Error(`could not sync notebook ${notebookId} with the collab server within ${timeoutMs} ms; is it running?`)),
      timeoutMs,
    );
    provider.on('sync', onSync);
    provider.on('closed', onClosed);
  });
}

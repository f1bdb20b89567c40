// What the header says about the link to the collab server, derived from a
// y-websocket provider and its document:
//
//   connecting    never synced yet (first load)
//   connected     socket open and the server's sync step 2 has arrived
//   reconnecting  was connected, lost the socket, nothing typed meanwhile
//   offline       lost the socket and either local edits are waiting, the
//                 browser says it is offline, or several attempts have failed
//   closed        the server ended this page's session for good (see close-policy.ts)
//
// `unsynced` counts local document updates made while not synced. The y-websocket
// protocol has no per-update acknowledgement; the server's sync step 2 after a
// reconnect is the point where both sides have exchanged everything they lacked,
// so that is where the count returns to 0. Remote updates arrive with the
// provider as their origin; every other origin is this user's.
import type * as Y from 'yjs';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

export interface ConnectionSnapshot {
  readonly status: ConnectionStatus;
  readonly unsynced: number;
}

/** The parts of y-websocket's WebsocketProvider this module reads. */
export interface ProviderLike {
  readonly wsconnected: boolean;
  readonly synced: boolean;
  readonly wsUnsuccessfulReconnects: number;
  on(event: 'status', listener: (event: { status: string }) => void): void;
  on(event: 'sync', listener: (synced: boolean) => void): void;
  on(event: 'connection-close', listener: (...args: unknown[]) => void): void;
  off(event: 'status', listener: (event: { status: string }) => void): void;
  off(event: 'sync', listener: (synced: boolean) => void): void;
  off(event: 'connection-close', listener: (...args: unknown[]) => void): void;
}

/** Failed attempts in a row after which a lost connection counts as offline rather than a blip. */
export const OFFLINE_AFTER_FAILED_ATTEMPTS = 3;

export class ConnectionState {
  private everSynced: boolean;
  private unsyncedCount = 0;
  private offlineByBrowser = false;
  private ended = false;
  private snapshot: ConnectionSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly provider: ProviderLike, private readonly doc: Y.Doc) {
    this.everSynced = provider.synced;
    this.snapshot = this.compute();
    doc.on('update', this.onUpdate);
    provider.on('status', this.onStatus);
    provider.on('sync', this.onSync);
    provider.on('connection-close', this.onClose);
  }

  /** The current state; the same object until something changes (safe for useSyncExternalStore). */
  get current(): ConnectionSnapshot {
    return this.snapshot;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Tells the state what the browser reports (navigator.onLine / online and offline events). */
  setBrowserOffline(offline: boolean): void {
    this.offlineByBrowser = offline;
    this.refresh();
  }

  get browserOffline(): boolean {
    return this.offlineByBrowser;
  }

  /** The session is over (document replaced, notebook deleted…): no more reconnecting. */
  setEnded(): void {
    this.ended = true;
    this.refresh();
  }

  destroy(): void {
    this.doc.off('update', this.onUpdate);
    this.provider.off('status', this.onStatus);
    this.provider.off('sync', this.onSync);
    this.provider.off('connection-close', this.onClose);
    this.listeners.clear();
  }

  private onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider) return;
    if (this.provider.wsconnected && this.provider.synced) return; // sent at once on a live, synced socket
    this.unsyncedCount++;
    this.refresh();
  };

  private onSync = (synced: boolean): void => {
    if (synced) {
      this.everSynced = true;
      this.unsyncedCount = 0;
    }
    this.refresh();
  };

  private onStatus = (): void => this.refresh();
  private onClose = (): void => this.refresh();

  private compute(): ConnectionSnapshot {
    const p = this.provider;
    let status: ConnectionStatus;
    if (this.ended) status = 'closed';
    else if (p.wsconnected && p.synced && !this.offlineByBrowser) status = 'connected';
    else if (
      this.offlineByBrowser ||
      (this.everSynced && this.unsyncedCount > 0) ||
      p.wsUnsuccessfulReconnects >= OFFLINE_AFTER_FAILED_ATTEMPTS
    ) status = 'offline';
    else status = this.everSynced ? 'reconnecting' : 'connecting';
    return { status, unsynced: this.unsyncedCount };
  }

  private refresh(): void {
    const next = this.compute();
    if (next.status === this.snapshot.status && next.unsynced === this.snapshot.unsynced) return;
    this.snapshot = next;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The header's words for a state. */
export function describeConnection({ status, unsynced }: ConnectionSnapshot): string {
  switch (status) {
    case 'connected': return 'connected';
    case 'connecting': return 'connecting…';
    case 'reconnecting': return 'reconnecting…';
    case 'offline': return `offline · ${unsynced} unsynced ${unsynced === 1 ? 'change' : 'changes'}`;
    case 'closed': return unsynced > 0 ? `closed · ${unsynced} unsynced ${unsynced === 1 ? 'change' : 'changes'}` : 'closed';
  }
}

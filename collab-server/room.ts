// One notebook's live document on the server: the Y.Doc (always equal to what is
// stored, never ahead of it), the awareness of everyone in the room, and the
// sockets. A client message is decoded completely first (protocol.ts; what
// cannot be read closes that socket alone); a client update is checked against
// the size limits and the notebook schema (schema-gate.ts), then goes to the
// update log, and is applied and broadcast only once stored; awareness is
// filtered and stamped by the server (presence.ts), coalesced, and fanned out at
// most once per throttle interval.
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { DocumentStore } from '../storage';
import { NotFoundError, EpochMismatchError } from '../storage';
import { cellsOf, repairDuplicateCells, repairOrigin } from '../notebook-model';
import { setAsideDamage } from '../notebook-model/schema-repair';
import { closeCodes, DOCUMENT_REPLACED_REASON } from '../notebook-model/service-protocol';
import type { CollabLimits } from '../config/limits';
import type { ClusterLink } from './cluster-link';
import { Connection } from './connection';
import type { PeerMessage } from './peer-messages';
import { PresenceGate } from './presence';
import {
  decodeClientMessage, encodeAwareness, encodeAwarenessEntries, encodePermissionDenied, encodeSyncStep1, encodeSyncStep2,
  encodeUpdate, isRedundantUpdate, ProtocolError, type ClientMessage,
} from './protocol';
import { SchemaGate } from './schema-gate';
import type { AddedMention } from '../notebook-model/comment-check';
import { UpdateLog, type LoggedUpdate } from './update-log';

/** Origin of changes the server makes itself (repairs); they are stored before anyone sees them. */
const serverOrigin = 'cellmate:collab-server';
/** Origin of what another node stored (updates) or stamped (awareness); already durable, never sent back to the nodes. */
const peerOrigin = 'cellmate:peer-node';
type UpdateOrigin = Connection | typeof serverOrigin;
/** How long one node may hold a document's compaction lease (a node that dies holding it blocks the others this long). */
const compactionLeaseMs = 60_000;

export interface RoomOptions {
  /** Fold the update log into a snapshot after this many appended updates. */
  compactEvery: number;
  /** Coalesce awareness fan-out to at most one message per this many ms (0: once per event-loop turn). */
  awarenessThrottleMs: number;
  limits: CollabLimits;
  log: (message: string) => void;
  /** The other nodes of the installation (Redis), or absent on a single node. */
  peers?: ClusterLink;
  /** Told after a batch of edits is stored (the notebook list's last change, last-change.ts). */
  onStored?: (notebookId: string) => void;
  /** Told of people newly mentioned in an accepted comment (the notebook list shows them). */
  onMentions?: (notebookId: string, mentions: AddedMention[]) => void;
}

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  readonly connections = new Set<Connection>();
  /** Set when the room stops serving (unloaded, replaced, notebook gone). */
  closed = false;
  private readonly updates: UpdateLog<UpdateOrigin>;
  private readonly schema: SchemaGate;
  private readonly presence: PresenceGate;
  /** The stored snapshot's size when loaded or last compacted (the rest of the document is in the log). */
  private snapshotBytes = 0;
  private pendingAwareness = new Set<number>();
  /** Awareness ids changed by this node's sockets (or stamped here) since the last fan-out: the other nodes need them. */
  private pendingPeerAwareness = new Set<number>();
  private awarenessScheduled = false;
  private cancelAwarenessTimer: (() => void) | null = null;
  private compacting: Promise<void> | null = null;
  /** Set by applyStored: the update being applied may carry others' held-back updates. */
  private echoToSender = false;
  /** Called when the room must stop (notebook deleted or replaced elsewhere). */
  onFatal: (code: number, reason: string) => void = () => {};

  private constructor(
    readonly notebookId: string,
    readonly epoch: string,
    lastUpdateId: number,
    private readonly store: DocumentStore,
    private readonly options: RoomOptions,
  ) {
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState(null); // the server itself is not a collaborator
    this.updates = new UpdateLog<UpdateOrigin>({
      store,
      notebookId,
      epoch,
      lastUpdateId,
      onStored: (batch) => this.applyStored(batch),
      onFailed: (batch, error) => this.storeFailed(batch, error),
    });
    this.schema = new SchemaGate(this.doc, () => this.updates.pending());
    this.presence = new PresenceGate(options.limits.maxAwarenessIdsPerSocket);
  }

  /** Loads the stored document completely before anyone is served from it. */
  static async load(store: DocumentStore, notebookId: string, options: RoomOptions): Promise<Room> {
    const stored = await store.load(notebookId);
    const room = new Room(notebookId, stored.epoch, stored.lastUpdateId, store, options);
    room.doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(room.doc, stored.snapshot);
      for (const update of stored.updates) Y.applyUpdate(room.doc, update);
    });
    room.updates.appendedSinceCompaction = stored.updates.length;
    room.snapshotBytes = stored.snapshot?.length ?? 0;
    for (const update of stored.updates) room.updates.bytesSinceCompaction += update.length;
    room.doc.on('update', (update: Uint8Array, origin: unknown) => room.onDocUpdate(update, origin));
    room.awareness.on('update', (change: AwarenessChange, origin: unknown) => room.onAwarenessChange(change, origin));
    // A document stored before updates were checked may be outside the schema: set
    // the damage aside (stored like any repair; the set-aside cells show it to the owner).
    const damage = setAsideDamage(room.doc, repairOrigin);
    if (damage.length) {
      options.log(`notebook ${notebookId}: set aside ${damage.length} damaged part(s) on load: ${damage.slice(0, 5).map((p) => `${p.path} ${p.problem}`).join('; ')}`);
    }
    room.repair();
    room.schema.rebuild();
    return room;
  }

  /** Starts serving a socket: the server's state vector and everyone's presence. */
  join(connection: Connection): void {
    this.connections.add(connection);
    connection.send(encodeSyncStep1(this.doc));
    const present = [...this.awareness.getStates().keys()];
    if (present.length) connection.send(encodeAwareness(this.awareness, present));
  }

  /** The socket went away: forget it and the presence it published. */
  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    const ids = this.presence.release(connection);
    if (ids.length) removeAwarenessStates(this.awareness, ids, connection);
  }

  receive(connection: Connection, data: Uint8Array): void {
    // A socket that left (or lost its access) is deaf, even for messages already in flight.
    if (this.closed || !this.connections.has(connection)) return;
    let message: ClientMessage;
    try {
      message = decodeClientMessage(data, this.options.limits);
      if (message.kind === 'awareness' && !connection.takeAwarenessToken(this.options.limits.maxAwarenessPerSecond)) {
        throw new ProtocolError(closeCodes.awarenessRateExceeded, `more than ${this.options.limits.maxAwarenessPerSecond} awareness messages a second`);
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      return this.refuse(connection, err.closeCode, err.message);
    }
    switch (message.kind) {
      case 'sync-step-1':
        connection.send(encodeSyncStep2(this.doc, message.stateVector));
        break;
      case 'update':
        this.receiveUpdate(connection, message.update);
        break;
      case 'awareness': {
        const accepted = this.presence.admit(connection, message.entries);
        if (accepted.length) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(accepted), connection);
        break;
      }
      case 'query-awareness':
        connection.send(encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]));
        break;
    }
  }

  private receiveUpdate(connection: Connection, update: Uint8Array): void {
    if (connection.readOnly) {
      if (isRedundantUpdate(this.doc, update)) return; // a viewer's sync reply
      // Dropped here, before storage and before anyone else sees it.
      connection.send(encodePermissionDenied('read-only: your role on this notebook cannot edit it'));
      return;
    }
    const { maxDocumentBytes, maxUpdateLogBytes } = this.options.limits;
    if (this.snapshotBytes + this.updates.bytesSinceCompaction + this.updates.pendingBytes + update.length > maxDocumentBytes) {
      return this.refuse(connection, closeCodes.documentTooLarge, `the notebook would grow past its limit of ${maxDocumentBytes} bytes`);
    }
    if (this.updates.bytesSinceCompaction + update.length > maxUpdateLogBytes) {
      // Fold the log into a snapshot; while that runs the log may not grow further.
      if (this.compacting) return this.refuse(connection, closeCodes.tryAgainLater, 'the notebook is being compacted; try again shortly');
      void this.compact();
    }
    const problems = this.schema.check(update, connection.sender);
    if (problems.length) {
      const reason = `${problems[0].path} ${problems[0].problem}`;
      this.options.log(`notebook ${this.notebookId}: refused an update from ${connection}: ${reason}`);
      // The sender's replica now holds what the notebook never will: the app shows this reason and asks for a reload.
      connection.send(encodePermissionDenied(refusalMessage(problems[0].path, reason, connection.sender.mayEdit)));
      return;
    }
    this.updates.append(update, connection);
    // Said once accepted, not once stored: a mention whose comment then fails to store points at nothing, and the page shows only what it finds.
    if (this.schema.lastMentions.length) this.options.onMentions?.(this.notebookId, this.schema.lastMentions);
  }

  /** Closes one socket for what it sent, and says so in the log. */
  refuse(connection: Connection, code: number, reason: string): void {
    this.options.log(`notebook ${this.notebookId}: closing ${connection} (${code}): ${reason}`);
    this.leave(connection); // deaf from now on, even to messages already on their way
    connection.close(code, reason.slice(0, 120));
  }

  /**
   * Writes the role the server now holds for this socket into the presence it
   * publishes, when an access review changed it while connected (presence.ts
   * stamps every state the socket sends from then on).
   */
  stampRole(connection: Connection, options: { republish?: boolean } = {}): void {
    const changed: number[] = [];
    for (const id of connection.awarenessIds) {
      const state = this.awareness.getStates().get(id);
      if (state && state.role !== connection.role) {
        state.role = connection.role;
        // Clients keep a state only if its clock moved on; a role changed by the
        // server (not by the client's own update) needs a new clock to travel.
        const meta = this.awareness.meta.get(id);
        if (options.republish && meta) meta.clock++;
        changed.push(id);
      }
    }
    if (changed.length) this.onAwarenessChange({ added: [], updated: changed, removed: [] }, serverOrigin);
  }

  /**
   * What another node said about this notebook: updates it stored (applied and
   * sent to this node's sockets; they are durable already), presence of its
   * sockets, or a request for this node's presence.
   */
  fromPeer(message: PeerMessage): void {
    if (this.closed) return;
    switch (message.kind) {
      case 'updates':
        // A different epoch is a replaced document; its own message closes the room.
        if (message.epoch === this.epoch) this.applyFromPeer(message.updates);
        break;
      case 'awareness':
        applyAwarenessUpdate(this.awareness, message.update, peerOrigin);
        break;
      case 'awareness-query': {
        const own = [...this.connections].flatMap((connection) => [...connection.awarenessIds])
          .filter((id) => this.awareness.getStates().has(id));
        if (own.length) void this.options.peers?.publish(this.notebookId, { kind: 'awareness', update: encodeAwarenessUpdate(this.awareness, own) });
        break;
      }
      default:
        break;
    }
  }

  /**
   * Reads the stored document again and applies what this node lacks (after its
   * Redis subscription was interrupted, messages from other nodes may be lost).
   */
  async catchUp(): Promise<void> {
    const stored = await this.store.load(this.notebookId);
    if (this.closed) return;
    if (stored.epoch !== this.epoch) return this.onFatal(closeCodes.documentReplaced, DOCUMENT_REPLACED_REASON);
    this.applyFromPeer([...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates]);
  }

  private applyFromPeer(updates: Uint8Array[]): void {
    const cells = cellsOf(this.doc);
    let cellListChanged = false;
    this.doc.transact((transaction) => {
      for (const update of updates) Y.applyUpdate(this.doc, update);
      if (transaction.changed.has(cells)) cellListChanged = true;
    }, peerOrigin);
    for (const update of updates) this.updates.bytesSinceCompaction += update.length;
    if (cellListChanged) this.repair();
  }

  /** Resolves once every accepted update is stored (or failed). */
  flushed(): Promise<void> {
    return this.updates.whenIdle();
  }

  /** Folds the update log into one snapshot, in the background of the caller. */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    if (this.updates.appendedSinceCompaction === 0) return Promise.resolve();
    if (this.options.peers) return this.compactShared(this.options.peers);
    // The doc holds exactly the stored updates up to lastUpdateId (stored before
    // applied), so this snapshot and this id belong together.
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const upTo = this.updates.lastUpdateId;
    const appended = this.updates.appendedSinceCompaction;
    const appendedBytes = this.updates.bytesSinceCompaction;
    this.compacting = this.store.compact(this.notebookId, this.epoch, snapshot, upTo).then(
      () => {
        this.updates.appendedSinceCompaction -= appended;
        this.updates.bytesSinceCompaction -= appendedBytes;
        this.snapshotBytes = snapshot.length;
      },
      (err) => this.options.log(`notebook ${this.notebookId}: compaction failed: ${(err as Error).message}`),
    ).finally(() => { this.compacting = null; });
    return this.compacting;
  }

  /**
   * Compaction when other nodes write to the same log: this node's doc may not
   * yet hold every update another node stored before its last one, so the
   * snapshot is folded from the database itself, read under the notebook's
   * write lock (storage's foldLog: an update another node is still committing
   * cannot be skipped and then deleted), by one node at a time (a Redis lease).
   */
  private compactShared(peers: ClusterLink): Promise<void> {
    const appended = this.updates.appendedSinceCompaction;
    this.compacting = peers.withLease(`compact:${this.notebookId}`, compactionLeaseMs, async () => {
      await this.store.foldLog(this.notebookId, this.epoch, (stored, updates) => {
        const folded = new Y.Doc({ gc: this.doc.gc });
        folded.transact(() => {
          if (stored) Y.applyUpdate(folded, stored);
          for (const update of updates) Y.applyUpdate(folded, update);
        });
        const snapshot = Y.encodeStateAsUpdate(folded);
        folded.destroy();
        this.snapshotBytes = snapshot.length;
        return snapshot;
      });
    }).then(
      () => {
        // Taken or left to the node holding the lease: either way this node's count starts over.
        this.updates.appendedSinceCompaction -= appended;
        this.updates.bytesSinceCompaction = 0;
      },
      (err) => this.options.log(`notebook ${this.notebookId}: compaction failed: ${(err as Error).message}`),
    ).finally(() => { this.compacting = null; });
    return this.compacting;
  }

  /** Stops serving: closes every socket with `code`, drops queued updates, frees the doc. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.updates.stop();
    for (const connection of this.connections) connection.close(code, reason);
    this.connections.clear();
    this.cancelAwarenessTimer?.();
    this.awareness.destroy();
    this.schema.destroy();
    this.doc.destroy();
  }

  private applyStored(batch: LoggedUpdate<UpdateOrigin>[]): void {
    if (this.closed) return;
    this.options.onStored?.(this.notebookId);
    // Stored: the other nodes may show it now (first, so the Redis hop overlaps this node's own fan-out).
    void this.options.peers?.publish(this.notebookId, { kind: 'updates', epoch: this.epoch, updates: batch.map((entry) => entry.update) });
    const cells = cellsOf(this.doc);
    let cellListChanged = false;
    // Consecutive updates of one sender are applied in one transaction with that
    // sender as origin, so the merged update goes to everyone but its sender,
    // unless updates held back for missing dependencies (someone else's) may
    // be integrated along with them: then the sender needs the result too.
    for (const run of runsByOrigin(batch)) {
      if (run.origin === serverOrigin) {
        for (const update of run.updates) this.broadcast(update, null); // a repair, already applied
        continue;
      }
      this.echoToSender = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
      this.doc.transact((transaction) => {
        for (const update of run.updates) Y.applyUpdate(this.doc, update);
        if (transaction.changed.has(cells)) cellListChanged = true;
      }, run.origin);
    }
    // Only a change to the list itself (insert, delete, move) can duplicate a cell.
    if (cellListChanged) this.repair();
    if (this.updates.appendedSinceCompaction >= this.options.compactEvery
      || this.updates.bytesSinceCompaction >= this.options.limits.maxUpdateLogBytes) void this.compact();
  }

  private storeFailed(batch: LoggedUpdate<UpdateOrigin>[], error: unknown): void {
    if (this.closed) return;
    if (error instanceof NotFoundError) return this.onFatal(closeCodes.notebookGone, 'this notebook was deleted');
    if (error instanceof EpochMismatchError) return this.onFatal(closeCodes.documentReplaced, DOCUMENT_REPLACED_REASON);
    // The gate's candidate holds these edits; the room's doc never will.
    this.schema.rebuild();
    // The clients still hold these edits; closing makes them reconnect and resend.
    this.options.log(`notebook ${this.notebookId}: could not store ${batch.length} update(s): ${(error as Error).message}`);
    const senders = new Set(batch.map((entry) => entry.origin).filter((o): o is Connection => o instanceof Connection));
    for (const connection of senders) connection.close(closeCodes.storageFailure, 'could not store your edits; retrying');
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    if (origin instanceof Connection) this.broadcast(update, this.echoToSender ? null : origin); // stored, now applied
    else if (origin === peerOrigin) {
      // Stored by another node: the gate's candidate takes it, and this node's sockets see it.
      this.schema.applyTrusted(update);
      this.broadcast(update, null);
    } else {
      // A server-side repair: store, then broadcast; the gate's candidate takes it at once.
      this.schema.applyTrusted(update);
      this.updates.append(update, serverOrigin);
    }
  }

  /** Concurrent moves can leave two copies of a cell; the server keeps the first. */
  private repair(): void {
    repairDuplicateCells(this.doc);
  }

  private broadcast(update: Uint8Array, except: Connection | null): void {
    const message = encodeUpdate(update);
    for (const connection of this.connections) if (connection !== except) connection.send(message);
  }

  private onAwarenessChange({ added, updated, removed }: AwarenessChange, origin: unknown): void {
    for (const id of [...added, ...updated, ...removed]) {
      this.pendingAwareness.add(id);
      // This node's own sockets' presence (and what the server stamped) goes to the other nodes;
      // states that merely timed out, or came from a peer, do not.
      if (origin instanceof Connection || origin === serverOrigin) this.pendingPeerAwareness.add(id);
    }
    if (this.awarenessScheduled) return;
    this.awarenessScheduled = true;
    const send = () => {
      this.awarenessScheduled = false;
      this.cancelAwarenessTimer = null;
      if (this.closed || !this.pendingAwareness.size) return;
      const message = encodeAwareness(this.awareness, [...this.pendingAwareness]);
      this.pendingAwareness.clear();
      if (this.pendingPeerAwareness.size && this.options.peers) {
        void this.options.peers.publish(this.notebookId, { kind: 'awareness', update: encodeAwarenessUpdate(this.awareness, [...this.pendingPeerAwareness]) });
      }
      this.pendingPeerAwareness.clear();
      for (const connection of this.connections) connection.send(message);
    };
    if (this.options.awarenessThrottleMs > 0) {
      const timer = setTimeout(send, this.options.awarenessThrottleMs);
      this.cancelAwarenessTimer = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(send);
      this.cancelAwarenessTimer = () => clearImmediate(immediate);
    }
  }
}

/** The words a refused update is answered with: a comment change or a commenter's edit is about what the sender may do. */
function refusalMessage(path: string, reason: string, mayEdit: boolean): string {
  if (!mayEdit) return `refused: a commenter may only comment (${reason})`;
  if (path.startsWith('comments')) return `refused: this comment change is not allowed (${reason})`;
  return `refused: this change would break the notebook (${reason})`;
}

/** Splits a batch into runs of consecutive updates from one origin, in order. */
function runsByOrigin(batch: LoggedUpdate<UpdateOrigin>[]): { origin: UpdateOrigin; updates: Uint8Array[] }[] {
  const runs: { origin: UpdateOrigin; updates: Uint8Array[] }[] = [];
  for (const { update, origin } of batch) {
    const last = runs[runs.length - 1];
    if (last && last.origin === origin) last.updates.push(update);
    else runs.push({ origin, updates: [update] });
  }
  return runs;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

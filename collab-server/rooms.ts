// The rooms this server holds in memory, one per open notebook. A room is loaded
// once however many sockets ask at the same time, unloaded (after its log is
// stored and compacted) when nobody has been in it for a while, and replaced
// wholesale on request. While a room is unloading or being replaced, new sockets
// wait for that to finish and then get a freshly loaded room.
//
// With other nodes (options.peers), a room listens to its notebook's channel
// from before its document is read until it is unloaded, and what changes a
// room's fate (replaced, deleted, access changed) is announced to every node.
import type { Storage } from '../storage';
import { closeCodes, DOCUMENT_REPLACED_REASON } from '../notebook-model/service-protocol';
import { reviewAccess, type RoleResolver } from './access-review';
import type { PeerMessage } from './peer-messages';
import { LastChangeClock } from './last-change';
import { Room, type RoomOptions } from './room';

/** How often a notebook's last change is written while edits keep coming (the list shows minutes). */
const LAST_CHANGE_INTERVAL_MS = 5_000;

export interface RoomsOptions extends RoomOptions {
  /** How long an empty room stays loaded, in ms. */
  idleUnloadMs: number;
  /** The role a token's holder has now (for access changes announced by other nodes). */
  resolveRole: RoleResolver;
}

export class Rooms {
  private loaded = new Map<string, Promise<Room>>();
  /** Unloads and replacements in progress; acquire waits for them. */
  private transitions = new Map<string, Promise<void>>();
  private idleTimers = new Map<string, NodeJS.Timeout>();

  private readonly lastChange: LastChangeClock;
  private readonly options: RoomsOptions;

  constructor(private readonly storage: Storage, options: RoomsOptions) {
    this.lastChange = new LastChangeClock((id) => storage.notebooks.touch(id), LAST_CHANGE_INTERVAL_MS, options.log);
    this.options = { ...options, onStored: (id) => this.lastChange.stored(id) };
  }

  get size(): number {
    return this.loaded.size;
  }

  /** The loaded room of a notebook; loads it if needed. Throws NotFoundError. */
  async acquire(notebookId: string): Promise<Room> {
    for (;;) {
      const transition = this.transitions.get(notebookId);
      if (transition) {
        await transition;
        continue;
      }
      this.cancelIdle(notebookId);
      let room = this.loaded.get(notebookId);
      if (!room) {
        room = this.load(notebookId);
        this.loaded.set(notebookId, room);
        room.then(
          (r) => { r.onFatal = (code, reason) => void this.drop(notebookId, r, code, reason); },
          () => this.loaded.delete(notebookId),
        );
      }
      const ready = await room;
      if (!ready.closed) return ready;
    }
  }

  private async load(notebookId: string): Promise<Room> {
    const { peers } = this.options;
    if (!peers) return Room.load(this.storage.documents, notebookId, this.options);
    // Subscribed before the read: an update stored after it arrives here, and
    // one stored before it is in what is read (applying it twice changes nothing).
    let room: Room | null = null;
    const early: PeerMessage[] = [];
    await peers.join(notebookId, (message) => {
      if (room) this.fromPeer(notebookId, room, message);
      else early.push(message);
    });
    try {
      room = await Room.load(this.storage.documents, notebookId, this.options);
    } catch (err) {
      await peers.leave(notebookId);
      throw err;
    }
    for (const message of early) this.fromPeer(notebookId, room, message);
    void peers.publish(notebookId, { kind: 'awareness-query' });
    return room;
  }

  private fromPeer(notebookId: string, room: Room, message: PeerMessage): void {
    switch (message.kind) {
      case 'access-changed':
        void reviewAccess(room, this.options.resolveRole)
          .catch((err) => this.options.log(`notebook ${notebookId}: access review failed: ${(err as Error).message}`));
        break;
      case 'deleted':
        void this.drop(notebookId, room, closeCodes.notebookGone, 'this notebook was deleted');
        break;
      case 'replaced':
        if (message.epoch !== room.epoch) void this.drop(notebookId, room, closeCodes.documentReplaced, message.reason);
        break;
      default:
        room.fromPeer(message);
    }
  }

  /** Tells the other nodes (if any) that access to a notebook changed. */
  announceAccessChanged(notebookId: string): void {
    void this.options.peers?.publish(notebookId, { kind: 'access-changed' });
  }

  /** After the link to the other nodes was interrupted: every room reads what it may have missed. */
  async catchUp(): Promise<void> {
    for (const room of await this.serving()) {
      await room.catchUp().catch((err) => this.options.log(`notebook ${room.notebookId}: catch-up failed: ${(err as Error).message}`));
    }
  }

  /** Every loaded room that is serving. */
  async serving(): Promise<Room[]> {
    const rooms = await Promise.all([...this.loaded.values()].map((r) => r.catch(() => null)));
    return rooms.filter((r): r is Room => r !== null && !r.closed);
  }

  /** The room of a notebook if it is loaded and serving, without loading it. */
  async loadedRoom(notebookId: string): Promise<Room | null> {
    const room = await this.loaded.get(notebookId)?.catch(() => null);
    return room && !room.closed ? room : null;
  }

  /** Called when a room lost its last socket: unload it after the idle delay. */
  release(room: Room): void {
    if (room.connections.size || room.closed) return;
    this.cancelIdle(room.notebookId);
    const timer = setTimeout(() => {
      this.idleTimers.delete(room.notebookId);
      if (!room.connections.size) void this.unload(room);
    }, this.options.idleUnloadMs);
    timer.unref();
    this.idleTimers.set(room.notebookId, timer);
  }

  /**
   * Replaces a notebook's document with `state`; connected clients are told to
   * reload, with `reason` (replacedCloseReason: which restore, if it is one).
   */
  async replace(notebookId: string, state: Uint8Array, reason = DOCUMENT_REPLACED_REASON): Promise<string> {
    return this.transition(notebookId, async () => {
      const room = await this.loaded.get(notebookId)?.catch(() => undefined);
      if (room) {
        await room.flushed();
        room.close(closeCodes.documentReplaced, reason);
        this.loaded.delete(notebookId);
        await this.options.peers?.leave(notebookId);
      }
      const epoch = await this.storage.documents.replace(notebookId, state);
      await this.options.peers?.publish(notebookId, { kind: 'replaced', epoch, reason });
      return epoch;
    });
  }

  /** Closes a deleted notebook's room (4404 to every socket); returns how many sockets it had. */
  async closeDeleted(notebookId: string): Promise<number> {
    await this.options.peers?.publish(notebookId, { kind: 'deleted' });
    const room = await this.loadedRoom(notebookId);
    if (!room) return 0;
    const sockets = room.connections.size;
    await this.drop(notebookId, room, closeCodes.notebookGone, 'this notebook was deleted');
    return sockets;
  }

  /** Stores, compacts and frees every room (server shutdown). */
  async closeAll(): Promise<void> {
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    const rooms = await Promise.all([...this.loaded.values()].map((r) => r.catch(() => null)));
    await Promise.all(rooms.map((room) => room && this.unload(room, closeCodes.goingAway)));
    await Promise.all(this.transitions.values());
  }

  private unload(room: Room, code = closeCodes.goingAway): Promise<void> {
    return this.transition(room.notebookId, async () => {
      if (this.loaded.get(room.notebookId) && (await this.loaded.get(room.notebookId)) !== room) return;
      await room.flushed();
      this.lastChange.flush(room.notebookId);
      await room.compact();
      room.close(code, 'server going away');
      this.loaded.delete(room.notebookId);
      await this.options.peers?.leave(room.notebookId);
    });
  }

  private async drop(notebookId: string, room: Room, code: number, reason: string): Promise<void> {
    await this.transition(notebookId, async () => {
      room.close(code, reason);
      if ((await this.loaded.get(notebookId)?.catch(() => undefined)) === room) {
        this.loaded.delete(notebookId);
        await this.options.peers?.leave(notebookId);
      }
    });
  }

  private async transition<T>(notebookId: string, work: () => Promise<T>): Promise<T> {
    while (this.transitions.has(notebookId)) await this.transitions.get(notebookId);
    const result = work();
    const settled = result.then(() => {}, () => {});
    this.transitions.set(notebookId, settled);
    try {
      return await result;
    } finally {
      if (this.transitions.get(notebookId) === settled) this.transitions.delete(notebookId);
    }
  }

  private cancelIdle(notebookId: string): void {
    const timer = this.idleTimers.get(notebookId);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(notebookId);
  }
}

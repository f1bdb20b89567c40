// The rooms this server holds in memory, one per open notebook. A room is loaded
// once however many sockets ask at the same time, unloaded (after its log is
// stored and compacted) when nobody has been in it for a while, and replaced
// wholesale on request. While a room is unloading or being replaced, new sockets
// wait for that to finish and then get a freshly loaded room.
import type { Storage } from '../storage';
import { closeCodes } from '../notebook-model/service-protocol';
import { Room, type RoomOptions } from './room';

export interface RoomsOptions extends RoomOptions {
  /** How long an empty room stays loaded, in ms. */
  idleUnloadMs: number;
}

export class Rooms {
  private loaded = new Map<string, Promise<Room>>();
  /** Unloads and replacements in progress; acquire waits for them. */
  private transitions = new Map<string, Promise<void>>();
  private idleTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly storage: Storage, private readonly options: RoomsOptions) {}

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
        room = Room.load(this.storage.documents, notebookId, this.options);
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

  /** Replaces a notebook's document with `state`; connected clients are told to reload. */
  async replace(notebookId: string, state: Uint8Array): Promise<string> {
    return this.transition(notebookId, async () => {
      const room = await this.loaded.get(notebookId)?.catch(() => undefined);
      if (room) {
        await room.flushed();
        room.close(closeCodes.documentReplaced, 'document replaced');
        this.loaded.delete(notebookId);
      }
      return this.storage.documents.replace(notebookId, state);
    });
  }

  /** Closes a deleted notebook's room (4404 to every socket); returns how many sockets it had. */
  async closeDeleted(notebookId: string): Promise<number> {
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
      await room.compact();
      room.close(code, 'server going away');
      this.loaded.delete(room.notebookId);
    });
  }

  private async drop(notebookId: string, room: Room, code: number, reason: string): Promise<void> {
    await this.transition(notebookId, async () => {
      room.close(code, reason);
      if ((await this.loaded.get(notebookId)?.catch(() => undefined)) === room) this.loaded.delete(notebookId);
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

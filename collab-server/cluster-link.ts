// A collab server's line to the other collab servers of an installation, through
// Redis. Each loaded notebook has one pub/sub channel (`<prefix>nb:<id>`); a
// node subscribes when it loads the room (before reading the document, so no
// update stored meanwhile can slip between the read and the subscription) and
// unsubscribes when it unloads it. Messages a node sent itself come back on the
// channel and are ignored. Pub/sub delivers at most once: what a node missed
// while its Redis connection was down is read back from the database when the
// subscription returns (`onResubscribed`), which is also why nothing but the
// database is ever the record of a document. Why pub/sub and not streams:
// collab-server/README.md, "Many nodes".
//
// The same Redis holds short leases (SET NX PX, released only by their holder)
// that keep compaction of a document on one node at a time, and the bridges'
// kernel lease fences, which the collab server reads to refuse a stale bridge's
// writes (lease-fence.ts).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ClusterSettings } from '../config/cluster';
import { kernelFenceKey } from '../notebook-model/service-protocol';
import { decodePeerMessage, encodePeerMessage, PeerMessageError, type PeerMessage } from './peer-messages';

export type PeerHandler = (message: PeerMessage) => void;

/** Deletes a lease only if it still holds the caller's token. */
const releaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class ClusterLink {
  private readonly handlers = new Map<string, PeerHandler>();
  private resubscribed: () => void = () => {};
  private readyOnce = false;

  private constructor(
    readonly settings: ClusterSettings,
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly log: (message: string) => void,
  ) {
    subscriber.on('messageBuffer', (channel: Buffer, data: Buffer) => this.deliver(channel.toString(), data));
    // ioredis subscribes again by itself after a reconnect; what was published
    // meanwhile is lost to this node, so the rooms read it back from storage.
    subscriber.on('ready', () => {
      if (this.readyOnce) this.resubscribed();
      this.readyOnce = true;
    });
    const complain = (which: string) => (err: Error) => log(`redis (${which}): ${err.message}`);
    publisher.on('error', complain('publish'));
    subscriber.on('error', complain('subscribe'));
  }

  /** Connects both Redis connections (one is taken by subscriptions); throws if Redis cannot be reached. */
  static async connect(settings: ClusterSettings, log: (message: string) => void): Promise<ClusterLink> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
    const publisher = new Redis(settings.redisUrl, options);
    const subscriber = new Redis(settings.redisUrl, options);
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const link = new ClusterLink(settings, publisher, subscriber, log);
    link.readyOnce = true;
    return link;
  }

  get nodeId(): string {
    return this.settings.nodeId;
  }

  /** Calls `handler` for every other node's message about the notebook; resolves once subscribed. */
  async join(notebookId: string, handler: PeerHandler): Promise<void> {
    this.handlers.set(notebookId, handler);
    await this.subscriber.subscribe(this.channel(notebookId));
  }

  async leave(notebookId: string): Promise<void> {
    this.handlers.delete(notebookId);
    await this.subscriber.unsubscribe(this.channel(notebookId)).catch((err: Error) => this.log(`redis unsubscribe: ${err.message}`));
  }

  /** Tells every other node about the notebook (whether or not it has the room loaded). */
  publish(notebookId: string, message: PeerMessage): Promise<void> {
    const bytes = encodePeerMessage(this.nodeId, message);
    // A view of the freshly encoded bytes, not a copy (Buffer.from(Uint8Array) would copy every update once more).
    return this.publisher.publish(this.channel(notebookId), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).then(
      () => {},
      (err: Error) => this.log(`notebook ${notebookId}: could not tell the other nodes (${message.kind}): ${err.message}`),
    );
  }

  /** Called after the subscription connection came back: messages may have been missed. */
  onResubscribed(callback: () => void): void {
    this.resubscribed = callback;
  }

  /**
   * Runs `work` if this node takes the lease `name` (held at most `ttlMs`, so a
   * node that dies holding it does not block the others for long); returns
   * false without running it if another node holds it.
   */
  async withLease(name: string, ttlMs: number, work: () => Promise<void>): Promise<boolean> {
    const key = `${this.settings.prefix}lease:${name}`;
    const token = `${this.nodeId}:${randomBytes(8).toString('hex')}`;
    if ((await this.publisher.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return false;
    try {
      await work();
    } finally {
      await this.publisher.eval(releaseScript, 1, key, token).catch((err: Error) => this.log(`redis lease release: ${err.message}`));
    }
    return true;
  }

  /**
   * The highest fence issued for the notebook's kernel lease (the bridges'
   * counter; kernel-bridge/kernel-lease.ts), or null when no bridge ever held it.
   */
  async kernelFence(notebookId: string): Promise<number | null> {
    const raw = await this.publisher.get(kernelFenceKey(this.settings.prefix, notebookId));
    if (raw === null) return null;
    const fence = Number(raw);
    if (!Number.isSafeInteger(fence)) throw new Error(`malformed kernel fence for notebook ${notebookId} in Redis`);
    return fence;
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.all([this.subscriber.quit().catch(() => {}), this.publisher.quit().catch(() => {})]);
  }

  private channel(notebookId: string): string {
    return `${this.settings.prefix}nb:${notebookId}`;
  }

  private deliver(channel: string, data: Buffer): void {
    const prefix = `${this.settings.prefix}nb:`;
    if (!channel.startsWith(prefix)) return;
    const handler = this.handlers.get(channel.slice(prefix.length));
    if (!handler) return;
    let envelope;
    try {
      envelope = decodePeerMessage(new Uint8Array(data));
    } catch (err) {
      if (!(err instanceof PeerMessageError)) throw err;
      return this.log(`dropped a message on ${channel}: ${err.message}`);
    }
    if (envelope.from === this.nodeId) return;
    try {
      handler(envelope.message);
    } catch (err) {
      // One notebook's trouble must not take the node's other rooms down.
      this.log(`${channel}: a ${envelope.message.kind} message from ${envelope.from} failed: ${(err as Error).stack ?? err}`);
    }
  }
}

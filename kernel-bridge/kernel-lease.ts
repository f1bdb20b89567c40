// Which bridge owns a notebook's kernel when several bridges share one Redis
// (REDIS_URL, config/cluster.ts). A notebook's owner holds a lease: a Redis key
// `<prefix>kernel-owner:<notebookId>` naming the bridge (node id, the URL other
// bridges forward its requests to, and a fencing number that grows with every
// new holder), set with an expiry and renewed by its holder every third of it.
// Only the holder renews or releases it (compare in a Lua script), so a bridge
// that stalled past the expiry finds, at its next renewal, that its fence is no
// longer the one stored: it has lost the notebook and must stop its session at
// once (`onLost`). Notebooks that ever had an owner are listed in a set; a
// bridge that finds one there without a lease (its owner died) takes the lease
// and hands the notebook to `onOrphaned`, which either takes the kernel over
// (a gateway kernel survives its owner: kernel-handover.ts records where it
// is) and keeps the lease, or tells the notebook its kernel is lost and lets
// the lease go.
import { Redis } from 'ioredis';
import type { ClusterSettings } from '../config/cluster';
import { KernelHandovers } from './kernel-handover';
import { kernelFenceKey } from '../notebook-model/service-protocol';

export interface LeaseHolder {
  nodeId: string;
  /** Base URL of the holder's HTTP API (where other bridges forward its notebook's requests). */
  url: string;
  /** Grows by one with every new holder of this notebook's lease. */
  fence: number;
}

/** Takes the lease if it is free (or renews it if it is ours); returns the holder either way. */
const claimScript = `
local current = redis.call('get', KEYS[1])
if current then
  local holder = cjson.decode(current)
  if holder.nodeId == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[3]) end
  return current
end
local fence = redis.call('incr', KEYS[2])
local value = cjson.encode({ nodeId = ARGV[1], url = ARGV[2], fence = fence })
redis.call('set', KEYS[1], value, 'PX', ARGV[3])
redis.call('sadd', KEYS[3], ARGV[4])
return value`;

/** Extends the lease only while it still carries our fence; 0 when it is someone else's (or gone). */
const renewScript = `
local current = redis.call('get', KEYS[1])
if not current then return 0 end
local holder = cjson.decode(current)
if holder.nodeId == ARGV[1] and tostring(holder.fence) == ARGV[2] then return redis.call('pexpire', KEYS[1], ARGV[3]) end
return 0`;

/** Gives the lease up, and the handover record with it (nothing is left for anyone to take over). */
const releaseScript = `
local current = redis.call('get', KEYS[1])
if not current then return 0 end
local holder = cjson.decode(current)
if holder.nodeId == ARGV[1] and tostring(holder.fence) == ARGV[2] then
  redis.call('del', KEYS[2])
  return redis.call('del', KEYS[1])
end
return 0`;

export interface KernelLeaseOptions {
  settings: ClusterSettings;
  /** This bridge's API as other bridges reach it. */
  url: string;
  /** Lease lifetime without renewal (ms): how long a dead bridge's notebooks wait for a new owner. */
  ttlMs: number;
  /** The lease on a notebook was lost (another bridge holds it now): stop its session. */
  onLost: (notebookId: string) => void;
  /**
   * A notebook's owner died. Called with the lease held: 'keep' when this
   * bridge took the kernel over (it keeps the lease), 'release' when the kernel
   * was lost and the notebook told so.
   */
  onOrphaned: (notebookId: string) => Promise<'keep' | 'release'>;
  log: (message: string) => void;
}

export class KernelLeases {
  private readonly held = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  /** Where each notebook's gateway kernel is, for the next owner (kernel-handover.ts). */
  readonly handovers: KernelHandovers;

  private constructor(private readonly redis: Redis, private readonly options: KernelLeaseOptions) {
    this.handovers = new KernelHandovers(redis, options.settings, (id) => this.held.get(id), (id) => this.ownerKey(id), options.log);
    this.timer = setInterval(() => void this.tick(), Math.max(100, Math.floor(options.ttlMs / 3)));
    this.timer.unref();
  }

  static async connect(options: KernelLeaseOptions): Promise<KernelLeases> {
    const redis = new Redis(options.settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    redis.on('error', (err) => options.log(`redis (kernel leases): ${err.message}`));
    await redis.connect();
    return new KernelLeases(redis, options);
  }

  get nodeId(): string {
    return this.options.settings.nodeId;
  }

  /** Takes the notebook's lease if nobody holds it; returns the holder (this bridge or another). */
  async claim(notebookId: string): Promise<LeaseHolder> {
    const { settings, url, ttlMs } = this.options;
    const raw = await this.redis.eval(claimScript, 3, this.ownerKey(notebookId), kernelFenceKey(settings.prefix, notebookId), this.ownedSetKey(),
      settings.nodeId, url, ttlMs, notebookId) as string;
    const holder = parseHolder(raw);
    if (holder.nodeId === settings.nodeId) this.held.set(notebookId, holder.fence);
    return holder;
  }

  /** The notebook's holder, or null when nobody holds its lease. */
  async holder(notebookId: string): Promise<LeaseHolder | null> {
    const raw = await this.redis.get(this.ownerKey(notebookId));
    return raw ? parseHolder(raw) : null;
  }

  /**
   * Whether the lease system looks after this notebook: someone holds its
   * lease, or its owner died and a bridge is to adopt it (kernel-handover.ts).
   */
  async tracked(notebookId: string): Promise<boolean> {
    return (await this.redis.exists(this.ownerKey(notebookId))) === 1 || (await this.redis.sismember(this.ownedSetKey(), notebookId)) === 1;
  }

  /** Gives the lease up (the session closed); another bridge may take it at once. */
  async release(notebookId: string): Promise<void> {
    const fence = this.held.get(notebookId);
    if (fence === undefined) return;
    this.held.delete(notebookId);
    // Given up cleanly: nothing is left running, so nobody need adopt the notebook.
    if (await this.redis.eval(releaseScript, 2, this.ownerKey(notebookId), this.handovers.key(notebookId), this.nodeId, String(fence))) {
      await this.redis.srem(this.ownedSetKey(), notebookId);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.held.keys()].map((id) => this.release(id).catch(() => undefined)));
    await this.redis.quit().catch(() => undefined);
  }

  /** Renews what this bridge holds; looks for notebooks whose owner died. */
  private async tick(): Promise<void> {
    for (const [notebookId, fence] of this.held) {
      try {
        const renewed = await this.redis.eval(renewScript, 1, this.ownerKey(notebookId), this.nodeId, String(fence), this.options.ttlMs);
        if (renewed === 0 && this.held.get(notebookId) === fence) {
          this.held.delete(notebookId);
          this.options.log(`kernel bridge: lost the lease on notebook ${notebookId} (fence ${fence}); stopping its session`);
          this.options.onLost(notebookId);
        }
      } catch (err) {
        this.options.log(`kernel bridge: could not renew the lease on ${notebookId}: ${(err as Error).message}`);
      }
    }
    try {
      for (const notebookId of await this.redis.smembers(this.ownedSetKey())) {
        if (this.held.has(notebookId) || (await this.redis.exists(this.ownerKey(notebookId)))) continue;
        await this.adopt(notebookId);
      }
    } catch (err) {
      this.options.log(`kernel bridge: orphan check failed: ${(err as Error).message}`);
    }
  }

  private async adopt(notebookId: string): Promise<void> {
    const holder = await this.claim(notebookId);
    if (holder.nodeId !== this.nodeId) return; // another bridge was quicker
    let outcome: 'keep' | 'release' = 'release';
    try {
      outcome = await this.options.onOrphaned(notebookId);
    } finally {
      if (outcome === 'release') await this.release(notebookId);
    }
  }

  private ownerKey(notebookId: string): string {
    return `${this.options.settings.prefix}kernel-owner:${notebookId}`;
  }

  private ownedSetKey(): string {
    return `${this.options.settings.prefix}kernel-notebooks`;
  }
}

function parseHolder(raw: string): LeaseHolder {
  const value = JSON.parse(raw) as Partial<LeaseHolder>;
  if (typeof value.nodeId !== 'string' || typeof value.url !== 'string' || typeof value.fence !== 'number') throw new Error('malformed kernel lease in Redis');
  return { nodeId: value.nodeId, url: value.url, fence: value.fence };
}

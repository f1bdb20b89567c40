// What the owner of a notebook's gateway kernel leaves for the bridge that
// takes the notebook over if it dies (kernel-lease.ts): where the kernel is
// (its id on the gateway and the channels' session id), the execute_request
// in flight and who queued it, and who queued each waiting cell. Which cells
// run and wait is the document's business (their execution states); this
// record only says what the document cannot: the kernel, the request id to
// follow, and the requesters.
//
// Why Redis, beside the lease, rather than the database: the record means
// something only while its lease does (it is written under the lease's fence
// and deleted with it when the session closes cleanly), it changes at every
// run start and end (a Redis write, not a database transaction and no
// migration), and the bridges already share that Redis for the lease; a
// database row would outlive a cluster that no longer exists.
//
// Invariants: only the lease's current holder writes the record (a Lua script
// compares the fence first, so a stalled old owner cannot overwrite what the
// new owner wrote); one notebook's writes reach Redis in the order they were
// made; what is read back is validated before use, like anything a peer sends.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ClusterSettings } from '../config/cluster';
import type { NotebookKernel } from './notebook-kernel';
import type { Requester, RunQueue } from './run-queue';

const requesterSchema = z.object({ name: z.string().max(256), userId: z.string().max(256) });
const idSchema = z.string().min(1).max(256);

const handoverSchema = z.object({
  locator: z.object({ kernelId: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/), sessionId: idSchema }),
  specName: z.string().max(256),
  run: z.object({ cellId: idSchema, msgId: idSchema, by: requesterSchema }).optional(),
  queue: z.array(z.object({ cellId: idSchema, by: requesterSchema })).max(10_000),
});

/** A gateway kernel as its owner leaves it for the next owner. */
export type HandoverRecord = z.infer<typeof handoverSchema>;

/** Who a recovered cell counts as queued by when the record does not say. */
export const recoveredRequester: Requester = { name: 'an earlier kernel server', userId: '' };

/** Writes (or, with an empty value, deletes) the record only while the lease still carries the writer's fence. */
const fencedWriteScript = `
local current = redis.call('get', KEYS[1])
if not current then return 0 end
local holder = cjson.decode(current)
if holder.nodeId ~= ARGV[1] or tostring(holder.fence) ~= ARGV[2] then return 0 end
if ARGV[3] == '' then redis.call('del', KEYS[2]) else redis.call('set', KEYS[2], ARGV[3]) end
return 1`;

export class KernelHandovers {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly settings: ClusterSettings,
    /** The fence of the lease this bridge holds on the notebook, if it holds one. */
    private readonly fenceOf: (notebookId: string) => number | undefined,
    private readonly ownerKey: (notebookId: string) => string,
    private readonly log: (message: string) => void,
  ) {}

  /** Where the record of `notebookId` lives. */
  key(notebookId: string): string {
    return `${this.settings.prefix}kernel-handover:${notebookId}`;
  }

  /**
   * Queues a write of the record (null deletes it); writes of one notebook go
   * out in order. Resolves once this one is done (never rejects: a failure is logged).
   */
  record(notebookId: string, record: HandoverRecord | null): Promise<void> {
    const checked = record ? handoverSchema.safeParse(record) : null;
    if (checked && !checked.success) {
      this.log(`kernel bridge: not recording the kernel of notebook ${notebookId} for a handover: ${checked.error.issues[0]?.message}`);
      return Promise.resolve();
    }
    const value = checked ? JSON.stringify(checked.data) : '';
    const previous = this.chains.get(notebookId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const fence = this.fenceOf(notebookId);
      if (fence === undefined) return;
      await this.redis.eval(fencedWriteScript, 2, this.ownerKey(notebookId), this.key(notebookId), this.settings.nodeId, String(fence), value);
    }).catch((err: Error) => this.log(`kernel bridge: could not record the kernel of notebook ${notebookId} for a handover: ${err.message}`));
    this.chains.set(notebookId, next);
    void next.finally(() => {
      if (this.chains.get(notebookId) === next) this.chains.delete(notebookId);
    });
    return next;
  }

  /** The record a dead owner left, or null (none, or one that is not valid). */
  async read(notebookId: string): Promise<HandoverRecord | null> {
    const raw = await this.redis.get(this.key(notebookId));
    if (!raw || raw.length > 4 * 1024 * 1024) return null;
    try {
      const parsed = handoverSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch { /* not JSON */ }
    this.log(`kernel bridge: the handover record of notebook ${notebookId} is malformed; its kernel is taken for lost`);
    return null;
  }
}

/** The record of a session's kernel as it is now: null when there is nothing a next owner could take over. */
export function handoverRecordOf(kernel: NotebookKernel, queue: RunQueue): HandoverRecord | null {
  const locator = kernel.current?.locator;
  if (!locator || kernel.status === 'dead' || kernel.status === 'none') return null;
  const running = queue.running;
  return {
    locator,
    specName: kernel.spec?.name ?? '',
    run: running?.msgId ? { cellId: running.cellId, msgId: running.msgId, by: running.by } : undefined,
    queue: queue.waiting.map((e) => ({ cellId: e.cellId, by: e.by })),
  };
}

/** Hands a session's records on to `write` when they change (unchanged ones are not written again). */
export class HandoverWriter {
  private last = 'null';

  constructor(private readonly write: (record: HandoverRecord | null) => void) {}

  update(record: HandoverRecord | null): void {
    const json = JSON.stringify(record);
    if (json === this.last) return;
    this.last = json;
    this.write(record);
  }
}

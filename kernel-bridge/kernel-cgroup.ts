// Per-kernel resource limits through Linux control groups: memory, process
// count and CPU for a kernel's whole process tree, its memory in use, and
// whether the memory limit is what killed it.
//
// Where: a child of the bridge's own cgroup (`cellmate-kernels/k-<id>`), so a
// kernel never escapes a limit the bridge itself runs under. Both layouts:
// - cgroup v2 (one hierarchy): the bridge's cgroup must delegate memory, pids
//   and cpu to its children (`cgroup.subtree_control`); memory.max, pids.max,
//   cpu.max; memory.current; memory.events `oom_kill`.
// - cgroup v1 (a hierarchy per controller, /sys/fs/cgroup/{memory,pids,cpu}):
//   memory.limit_in_bytes (+ memsw where swap is accounted), pids.max,
//   cpu.cfs_quota_us; memory.usage_in_bytes; memory.oom_control `oom_kill`.
// A process joins by writing its own pid to each `cgroup.procs` before it
// execs the sandbox (sandbox-command.ts), so no child is ever left outside.
//
// When neither layout is usable (no rights, controllers not delegated), `probe`
// says why and the caller falls back to rlimits with a log line.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupLimits {
  /** Bytes of memory for the whole tree; 0: none. */
  memoryBytes: number;
  /** Processes and threads at once; 0: none. */
  maxProcesses: number;
  /** CPUs' worth of time; 0: none. */
  cpus: number;
}

export interface CgroupSupport {
  version: 1 | 2;
  /** Per controller (v1) or the single one (v2): the parent folder kernels' cgroups are made in. */
  parents: { memory: string; pids: string; cpu: string };
}

/** One kernel's cgroup (one folder per v1 controller, or one v2 folder). */
export interface KernelCgroup {
  readonly version: 1 | 2;
  /** The `cgroup.procs` files a process writes its pid to, to join. */
  readonly procsFiles: string[];
  /** Bytes in use by the tree now; null if unreadable. */
  memoryInUse(): number | null;
  /** Whether the memory limit killed a process of the tree; null if unknown. */
  oomKilled(): boolean | null;
  /** Removes the cgroup (once its processes are gone); never throws. */
  remove(): void;
}

const PARENT = 'cellmate-kernels';
const V1_CONTROLLERS = ['memory', 'pids', 'cpu'] as const;
const CPU_PERIOD_US = 100_000;

/** `/proc/self/cgroup`: hierarchy controllers → path ('' key for v2's 0::). */
function ownCgroups(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    for (const controller of match[1].split(',')) out.set(controller, match[2]);
  }
  return out;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function makeParent(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

function probeV2(own: Map<string, string>): CgroupSupport | string {
  const root = existsSync('/sys/fs/cgroup/cgroup.controllers') ? '/sys/fs/cgroup' : '/sys/fs/cgroup/unified';
  const path = own.get('');
  if (path === undefined || !existsSync(join(root, 'cgroup.controllers'))) return 'no cgroup v2 hierarchy';
  const mine = join(root, path);
  const available = (read(join(mine, 'cgroup.controllers')) ?? '').trim().split(/\s+/);
  const missing = ['memory', 'pids', 'cpu'].filter((c) => !available.includes(c));
  if (missing.length) return `cgroup v2 at ${mine} does not offer ${missing.join(', ')}`;
  const parent = join(mine, PARENT);
  try {
    makeParent(parent);
    writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory +pids +cpu');
  } catch (err) {
    return `cannot delegate memory, pids and cpu under ${parent}: ${(err as Error).message}`;
  }
  return { version: 2, parents: { memory: parent, pids: parent, cpu: parent } };
}

function probeV1(own: Map<string, string>): CgroupSupport | string {
  const parents = {} as CgroupSupport['parents'];
  for (const controller of V1_CONTROLLERS) {
    const mount = join('/sys/fs/cgroup', controller);
    const path = own.get(controller);
    if (path === undefined || !existsSync(join(mount, 'cgroup.procs'))) return `no cgroup v1 ${controller} controller`;
    const parent = join(mount, path, PARENT);
    try {
      makeParent(parent);
    } catch (err) {
      return `cannot create ${parent}: ${(err as Error).message}`;
    }
    parents[controller] = parent;
  }
  return { version: 1, parents };
}

/** Which cgroup layout the bridge may use for kernels, or why none. */
export function probeCgroups(): CgroupSupport | { unusable: string } {
  let own: Map<string, string>;
  try {
    own = ownCgroups();
  } catch {
    return { unusable: 'not Linux, or /proc/self/cgroup unreadable' };
  }
  const reasons: string[] = [];
  for (const probe of [probeV2, probeV1]) {
    const result = probe(own);
    if (typeof result !== 'string') {
      for (const parent of new Set(Object.values(result.parents))) sweep(parent);
      return result;
    }
    reasons.push(result);
  }
  return { unusable: reasons.join('; ') };
}

/** How old an empty kernel cgroup must be to count as left behind (a bridge that stopped before removing it). */
const STALE_MS = 60_000;

/** Removes kernels' cgroups left empty by bridges that are gone; a populated one cannot be removed, so live kernels are safe. */
function sweep(parent: string): void {
  for (const name of readdirSync(parent)) {
    if (!name.startsWith('k-')) continue;
    const dir = join(parent, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > STALE_MS && !(read(join(dir, 'cgroup.procs')) ?? 'busy').trim()) rmdirSync(dir);
    } catch {
      // in use, or removed by someone else meanwhile
    }
  }
}

/** Creates kernel `id`'s cgroup under `support` with `limits`; throws if the rights are missing. */
export function createKernelCgroup(support: CgroupSupport, id: string, limits: CgroupLimits): KernelCgroup {
  const dirs = support.version === 2
    ? [join(support.parents.memory, `k-${id}`)]
    : V1_CONTROLLERS.map((c) => join(support.parents[c], `k-${id}`));
  for (const dir of dirs) mkdirSync(dir);
  const [memoryDir, pidsDir, cpuDir] = support.version === 2 ? [dirs[0], dirs[0], dirs[0]] : dirs;
  const set = (dir: string, file: string, value: string, optional = false) => {
    try {
      writeFileSync(join(dir, file), value);
    } catch (err) {
      if (!optional) throw err;
    }
  };
  if (support.version === 2) {
    if (limits.memoryBytes) {
      set(memoryDir, 'memory.max', String(limits.memoryBytes));
      set(memoryDir, 'memory.swap.max', '0', true);
    }
    if (limits.maxProcesses) set(pidsDir, 'pids.max', String(limits.maxProcesses));
    if (limits.cpus) set(cpuDir, 'cpu.max', `${Math.round(limits.cpus * CPU_PERIOD_US)} ${CPU_PERIOD_US}`);
  } else {
    if (limits.memoryBytes) {
      set(memoryDir, 'memory.limit_in_bytes', String(limits.memoryBytes));
      set(memoryDir, 'memory.memsw.limit_in_bytes', String(limits.memoryBytes), true);
    }
    if (limits.maxProcesses) set(pidsDir, 'pids.max', String(limits.maxProcesses));
    if (limits.cpus) {
      set(cpuDir, 'cpu.cfs_period_us', String(CPU_PERIOD_US));
      set(cpuDir, 'cpu.cfs_quota_us', String(Math.round(limits.cpus * CPU_PERIOD_US)));
    }
  }
  return {
    version: support.version,
    procsFiles: dirs.map((d) => join(d, 'cgroup.procs')),
    memoryInUse() {
      const text = read(join(memoryDir, support.version === 2 ? 'memory.current' : 'memory.usage_in_bytes'));
      return text === null ? null : Number(text.trim());
    },
    oomKilled() {
      const text = read(join(memoryDir, support.version === 2 ? 'memory.events' : 'memory.oom_control'));
      const match = text && /^oom_kill (\d+)$/m.exec(text);
      return match ? Number(match[1]) > 0 : null;
    },
    remove() {
      for (const dir of dirs) {
        try {
          rmdirSync(dir);
        } catch {
          // still busy for a moment after the last process, or gone: the next start does not depend on it
        }
      }
    },
  };
}

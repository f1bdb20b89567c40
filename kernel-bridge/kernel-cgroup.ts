// Per-kernel resource limits through Linux control groups: memory, process
// count and CPU for a kernel's whole process tree, its memory in use, and
// whether the memory limit is what killed it.
//
// Where: a child of the bridge's own cgroup (`cellmate-kernels/k-<id>`), so a
// kernel never escapes a limit the bridge itself runs under. Both layouts:
// - cgroup v2 (one hierarchy): the bridge's cgroup must delegate memory, pids
//   and cpu to its children (`cgroup.subtree_control`); memory.max, pids.max,
//   cpu.max (+ cpu.max.burst); memory.current; memory.events `oom_kill`.
// - cgroup v1 (a hierarchy per controller): memory.limit_in_bytes (+ memsw
//   where swap is accounted), pids.max, cpu.cfs_quota_us (+ cpu.cfs_burst_us);
//   memory.usage_in_bytes; memory.oom_control `oom_kill`.
// Which one is decided from what the machine says, not from fixed paths: the
// hierarchies mounted (/proc/mounts) and the bridge's place in them
// (/proc/self/cgroup); see chooseCgroupLayout. Hybrid hosts mount both.
// A process joins by writing its own pid to each `cgroup.procs` before it
// execs the sandbox (sandbox-command.ts), so no child is ever left outside.
//
// When neither layout is usable (no rights, controllers not delegated), `probe`
// says why and the caller falls back to rlimits with a log line.
import { mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
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
const CONTROLLERS = ['memory', 'pids', 'cpu'] as const;
type Controller = (typeof CONTROLLERS)[number];
const CPU_PERIOD_US = 100_000;

/** `/proc/<pid>/cgroup`: hierarchy controllers → path ('' key for v2's `0::`). */
export function parseOwnCgroups(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    for (const controller of match[1].split(',')) out.set(controller, match[2]);
  }
  return out;
}

export interface CgroupMounts {
  /** Where the v2 (unified) hierarchy is mounted; null: nowhere. */
  v2: string | null;
  /** Where each v1 controller's hierarchy is mounted. */
  v1: Map<string, string>;
}

/** `/proc/mounts` → where the cgroup hierarchies are (mount points' octal escapes such as `\040` decoded). */
export function parseCgroupMounts(text: string): CgroupMounts {
  const mounts: CgroupMounts = { v2: null, v1: new Map() };
  for (const line of text.split('\n')) {
    const [, rawPoint, type, options] = line.split(' ');
    if (!rawPoint || !options) continue;
    const point = rawPoint.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    if (type === 'cgroup2') mounts.v2 ??= point;
    else if (type === 'cgroup') for (const option of options.split(',')) if (!mounts.v1.has(option)) mounts.v1.set(option, point);
  }
  return mounts;
}

/** The folder of cgroup `path` in the hierarchy mounted at `mount` (the root cgroup `/` is the mount itself). */
const folderOf = (mount: string, path: string) => join(mount, path).replace(/(.)\/$/, '$1');

/** Which layout to use and the bridge's own cgroup folder per controller, or why neither. */
export type CgroupChoice = { version: 1 | 2; own: Record<Controller, string> } | { unusable: string };

/**
 * The layout decision, from what the machine says: the bridge's own cgroups
 * (`/proc/self/cgroup`), the mounted hierarchies (`/proc/mounts`), and the
 * controllers a v2 folder offers (its `cgroup.controllers`; null if unreadable).
 * v2 wins when the bridge's v2 cgroup offers memory, pids and cpu (a v2-only
 * host, or a hybrid one whose unified hierarchy has them); otherwise v1 when
 * all three have a v1 hierarchy the bridge is in. A hybrid host whose unified
 * hierarchy holds no such controller (this kind of machine: hugetlb only) uses v1.
 */
export function chooseCgroupLayout(own: Map<string, string>, mounts: CgroupMounts, controllersOf: (dir: string) => string[] | null): CgroupChoice {
  const reasons: string[] = [];
  const v2Path = own.get('');
  if (mounts.v2 && v2Path !== undefined) {
    const dir = folderOf(mounts.v2, v2Path);
    const available = controllersOf(dir) ?? [];
    const missing = CONTROLLERS.filter((c) => !available.includes(c));
    if (!missing.length) return { version: 2, own: { memory: dir, pids: dir, cpu: dir } };
    reasons.push(`cgroup v2 at ${dir} does not offer ${missing.join(', ')}`);
  } else {
    reasons.push('no cgroup v2 hierarchy');
  }
  const v1 = {} as Record<Controller, string>;
  for (const controller of CONTROLLERS) {
    const mount = mounts.v1.get(controller);
    const path = own.get(controller);
    if (mount === undefined || path === undefined) {
      reasons.push(`no cgroup v1 ${controller} hierarchy`);
      return { unusable: reasons.join('; ') };
    }
    v1[controller] = folderOf(mount, path);
  }
  return { version: 1, own: v1 };
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

const controllersIn = (dir: string) => read(join(dir, 'cgroup.controllers'))?.trim().split(/\s+/).filter(Boolean) ?? null;

/** This machine's choice, read from /proc. */
export function machineCgroupLayout(): CgroupChoice {
  const own = read('/proc/self/cgroup');
  const mounts = read('/proc/mounts');
  if (own === null || mounts === null) return { unusable: 'not Linux, or /proc unreadable' };
  return chooseCgroupLayout(parseOwnCgroups(own), parseCgroupMounts(mounts), controllersIn);
}

/** Which cgroup layout the bridge may use for kernels (its parent folders made, and on v2 delegated), or why none. */
export function probeCgroups(): CgroupSupport | { unusable: string } {
  const choice = machineCgroupLayout();
  if ('unusable' in choice) return choice;
  const parents = {} as CgroupSupport['parents'];
  for (const controller of CONTROLLERS) {
    const parent = join(choice.own[controller], PARENT);
    try {
      mkdirSync(parent, { recursive: true });
      // v2: a cgroup's children get only the controllers it delegates.
      if (choice.version === 2) writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory +pids +cpu');
    } catch (err) {
      return { unusable: `cannot ${choice.version === 2 ? 'delegate memory, pids and cpu under' : 'create'} ${parent}: ${(err as Error).message}` };
    }
    parents[controller] = parent;
  }
  for (const parent of new Set(Object.values(parents))) sweep(parent);
  return { version: choice.version, parents };
}

/** One limit: the file to write in the kernel's folder of `controller`, and whether the kernel may run without it (older kernels lack some files). */
export interface LimitFile {
  controller: Controller;
  file: string;
  value: string;
  optional: boolean;
}

/**
 * The files that set `limits` in a `version` cgroup.
 *
 * CPU: a CFS quota of `cpus` × 100 ms per 100 ms period caps a kernel's
 * sustained use, so one notebook's loop cannot take a two-core machine from
 * everyone else. A bare quota also throttles short parallel bursts (BLAS
 * threads, ipykernel's shell, iopub and heartbeat threads around one reply)
 * the moment they spend a period's quota early, even when the kernel was idle
 * before. The burst allowance (cpu.cfs_burst_us / cpu.max.burst, Linux 5.14+)
 * lets a kernel carry up to one period's unused quota over to such a burst,
 * while its average over time stays at `cpus`. Where the kernel lacks it the
 * quota alone applies. Each kernel's own weight (cpu.shares / cpu.weight) stays
 * at the default; the parent's is set by weighKernels.
 */
export function limitFiles(version: 1 | 2, limits: CgroupLimits): LimitFile[] {
  const files: LimitFile[] = [];
  const add = (controller: Controller, file: string, value: string, optional = false) => files.push({ controller, file, value, optional });
  const quota = Math.round(limits.cpus * CPU_PERIOD_US);
  if (version === 2) {
    if (limits.memoryBytes) {
      add('memory', 'memory.max', String(limits.memoryBytes));
      add('memory', 'memory.swap.max', '0', true);
    }
    if (limits.maxProcesses) add('pids', 'pids.max', String(limits.maxProcesses));
    if (limits.cpus) {
      add('cpu', 'cpu.max', `${quota} ${CPU_PERIOD_US}`);
      add('cpu', 'cpu.max.burst', String(quota), true);
    }
  } else {
    if (limits.memoryBytes) {
      add('memory', 'memory.limit_in_bytes', String(limits.memoryBytes));
      add('memory', 'memory.memsw.limit_in_bytes', String(limits.memoryBytes), true);
    }
    if (limits.maxProcesses) add('pids', 'pids.max', String(limits.maxProcesses));
    if (limits.cpus) {
      add('cpu', 'cpu.cfs_period_us', String(CPU_PERIOD_US));
      add('cpu', 'cpu.cfs_quota_us', String(quota));
      add('cpu', 'cpu.cfs_burst_us', String(quota), true);
    }
  }
  return files;
}

/** One ordinary process's CPU weight (nice 0): cpu.shares on v1, cpu.weight on v2. */
const PROCESS_WEIGHT = { 1: 1024, 2: 100 } as const;
const MAX_WEIGHT = { 1: 262_144, 2: 10_000 } as const;

/**
 * Gives the kernels' common parent the CPU weight of as many ordinary processes
 * as it holds kernels (cgroups `k-*`, of any bridge sharing the parent).
 *
 * Why: under contention CPU time is shared between sibling cgroups by weight,
 * and a parent left at the default weighs like one process, however many
 * kernels are in it. On a loaded machine (load 20 on two cores, here) every
 * sandboxed kernel then got a share of one process's share while an
 * unsandboxed kernel, a plain process, got a whole one: the round trip bench
 * measured 1.77x with no period throttled at all, so the quota was not the
 * cause. Weighed by its kernels, each kernel competes as the plain process it
 * would be without the sandbox (every kernel's own weight stays equal to its
 * siblings'), and the quota still caps each one's sustained use. What remains
 * is the nesting itself: a kernel waking while sibling kernels are busy waits for
 * the parent's turn at the top level (with two busy processes in a sibling
 * kernel's cgroup and two beside the bridge, the round trip was 1.7x an
 * unsandboxed kernel's with this weight, 3.3x without it).
 * Several bridges may recount at once; the last count written wins, and every
 * start and removal recounts. Never throws: the weight is fairness, not safety.
 */
function weighKernels(support: CgroupSupport): void {
  const parent = support.parents.cpu;
  try {
    const kernels = readdirSync(parent).filter((name) => name.startsWith('k-')).length;
    const weight = Math.min(MAX_WEIGHT[support.version], PROCESS_WEIGHT[support.version] * Math.max(1, kernels));
    writeFileSync(join(parent, support.version === 2 ? 'cpu.weight' : 'cpu.shares'), String(weight));
  } catch {
    // a parent we may not weigh (a delegated v2 subtree's own weight belongs to its parent): kernels keep the default
  }
}

/** How often the CPU limit held back the cgroup of process `pid` (read from its cpu.stat), or null where it has no CPU cgroup. */
export function cpuThrottling(pid: number): { periods: number; throttled: number; throttledMs: number } | null {
  const own = read(`/proc/${pid}/cgroup`);
  const mountsText = read('/proc/mounts');
  if (own === null || mountsText === null) return null;
  const cgroups = parseOwnCgroups(own);
  const mounts = parseCgroupMounts(mountsText);
  const v1 = mounts.v1.get('cpu');
  const dir = v1 && cgroups.has('cpu') ? folderOf(v1, cgroups.get('cpu')!) : mounts.v2 && cgroups.has('') ? folderOf(mounts.v2, cgroups.get('')!) : null;
  const stat = dir && read(join(dir, 'cpu.stat'));
  if (!stat) return null;
  const field = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(stat)?.[1] ?? NaN);
  // v1 counts throttled time in ns (throttled_time), v2 in µs (throttled_usec).
  const throttledMs = Number.isNaN(field('throttled_usec')) ? field('throttled_time') / 1e6 : field('throttled_usec') / 1e3;
  const result = { periods: field('nr_periods'), throttled: field('nr_throttled'), throttledMs };
  return Object.values(result).some(Number.isNaN) ? null : result;
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
  const dirOf = Object.fromEntries(CONTROLLERS.map((c) => [c, join(support.parents[c], `k-${id}`)])) as Record<Controller, string>;
  const dirs = [...new Set(Object.values(dirOf))];
  for (const dir of dirs) mkdirSync(dir);
  for (const { controller, file, value, optional } of limitFiles(support.version, limits)) {
    try {
      writeFileSync(join(dirOf[controller], file), value);
    } catch (err) {
      if (!optional) throw err;
    }
  }
  weighKernels(support);
  const memoryDir = dirOf.memory;
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
      weighKernels(support);
    },
  };
}

// A memory ceiling for kernel processes, so one notebook's runaway allocation
// fails inside that notebook (a Python MemoryError) instead of pushing the
// whole machine into swap or the out-of-memory killer.
//
// How: on Linux the kernel's argv is launched through util-linux's `prlimit`,
// which sets the limit on itself and then execs the kernel (same pid, same
// process group, so signals and exit reporting are unchanged). Soft and hard
// limits are equal, so code in the notebook cannot raise its own ceiling.
//
// Which limit: RLIMIT_DATA, not RLIMIT_AS. RLIMIT_AS counts the whole address
// space, including shared libraries and the PROT_NONE regions that are reserved
// but never used (glibc reserves 64 MB per malloc arena, up to 8 arenas per
// core), so it grows with threads and cores rather than with what the code
// allocates, and a limit low enough to matter breaks imports on big machines.
// RLIMIT_DATA (Linux 4.7+) counts private writable memory: the heap and the
// anonymous mappings where a runaway list or array lives, a bound on what the
// process can make resident. It is per process: a kernel that forks workers
// gives each the same ceiling. Near the ceiling, native code does not always
// fail cleanly (OpenBLAS hangs when it cannot map a buffer); a large
// allocation that does not fit fails at once with MemoryError.
import { availableParallelism } from 'node:os';
import { findExecutable } from './find-executable';

export { defaultKernelMemoryLimitMb } from '../config/bridge';

let warned = false;

export interface MemoryLimitEnvironment {
  platform?: NodeJS.Platform;
  /** The search path for `prlimit` (default: this process's PATH). */
  path?: string;
  /** CPUs a kernel may use (default: this machine's). */
  cpus?: number;
  /** Where the one-line warning goes when the limit cannot be applied (default: console.warn, once per process). */
  warn?: (message: string) => void;
}

/** How to launch a kernel under a memory limit. */
export interface MemoryLimitedLaunch {
  argv: string[];
  /** Defaults for the kernel's environment; settings already in the environment or kernelspec win. */
  env: Record<string, string>;
}

/**
 * `argv` run under a private-memory ceiling of `limitMb` megabytes (0: no
 * limit, `argv` itself). Where the limit cannot be applied (not Linux, no
 * prlimit) the kernel runs without one, and a warning says so.
 *
 * Under the limit, BLAS and OpenMP get at most one thread per 512 MB of it:
 * OpenBLAS maps a 128 MB work buffer per thread (untouched, but private and
 * writable, so it counts), one per core by default. On a machine with many
 * cores those buffers alone would pass the limit, and OpenBLAS hangs rather
 * than fail when it cannot map one. Fewer BLAS threads per kernel also suit a
 * machine shared by many kernels.
 */
export function memoryLimitedLaunch(argv: readonly string[], limitMb: number, env: MemoryLimitEnvironment = {}): MemoryLimitedLaunch {
  if (!limitMb) return { argv: [...argv], env: {} };
  const platform = env.platform ?? process.platform;
  const prlimit = platform === 'linux' ? findExecutable('prlimit', env.path) : null;
  if (!prlimit) {
    const why = platform === 'linux' ? 'prlimit (util-linux) is not on PATH' : `memory limits are only applied on Linux, this is ${platform}`;
    const message = `kernel bridge: KERNEL_MEMORY_LIMIT_MB=${limitMb} is not applied (${why}); kernels run without a memory limit.`;
    if (env.warn) env.warn(message);
    else if (!warned) {
      warned = true;
      console.warn(message);
    }
    return { argv: [...argv], env: {} };
  }
  const bytes = limitMb * 1024 * 1024;
  const threads = String(Math.max(1, Math.min(env.cpus ?? availableParallelism(), Math.floor(limitMb / 512))));
  return {
    argv: [prlimit, `--data=${bytes}:${bytes}`, '--', ...argv],
    env: { OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads },
  };
}

/** Signs in a kernel's last output that it died for want of memory. */
const outOfMemoryOutput = /MemoryError|Cannot allocate memory|out of memory|std::bad_alloc|ENOMEM/i;

/**
 * A sentence for users when a kernel's exit is, or may be, memory exhaustion,
 * else null. `oomKilled` is what the kernel's memory cgroup says (its limit
 * killed a process: true; it did not: false; no cgroup: null).
 * - The cgroup's limit killed it: said so.
 * - SIGKILLed while the cgroup saw no out-of-memory kill: killed from outside,
 *   not for memory (the bridge's own kills are never reported as deaths).
 * - SIGKILLed with no cgroup to ask: killed from outside, and the system's
 *   out-of-memory killer named as a possibility, not as the likely cause.
 * - It hit the per-process ceiling (`limitMb`) and could not recover.
 */
/** How every death of memory begins (explainMemoryExit); `isOutOfMemoryReason` checks for it. */
const OUT_OF_MEMORY = 'kernel process ran out of memory';

/** Whether a kernel's death reason (as explainMemoryExit wrote it) says it ran out of memory. */
export function isOutOfMemoryReason(reason: string): boolean {
  return reason.includes(OUT_OF_MEMORY);
}

export function explainMemoryExit(
  exit: { code: number | null; signal: NodeJS.Signals | null; outputTail: string }, limitMb: number, oomKilled: boolean | null = null,
): string | null {
  const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
  if (oomKilled) {
    return `${OUT_OF_MEMORY}: its processes together used all the memory their limit allows${limitMb ? ` (KERNEL_MEMORY_LIMIT_MB=${limitMb})` : ''}, and the system stopped it (${how})`;
  }
  if (exit.signal === 'SIGKILL') {
    return oomKilled === false
      ? 'kernel process was killed (SIGKILL) from outside the bridge, not for want of memory (its memory limit was never reached)'
      : 'kernel process was killed (SIGKILL) from outside the bridge; if the machine was short of memory, the system\'s out-of-memory killer may have done it';
  }
  if (limitMb && outOfMemoryOutput.test(exit.outputTail)) {
    return `${OUT_OF_MEMORY}: it exceeded the memory limit of ${limitMb} MB (KERNEL_MEMORY_LIMIT_MB) and exited with ${how}`;
  }
  return null;
}

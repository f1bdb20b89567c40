// Kernels on this machine, each in its own bubblewrap sandbox (the default
// provider): the command is built by sandbox-command.ts, resources are bounded
// by the kernel's cgroup (kernel-cgroup.ts) or, where the machine does not let
// the bridge use cgroups, by the per-process rlimit (kernel-memory-limit.ts).
//
// What a sandboxed kernel is: an unprivileged uid/gid of this installation
// (KERNEL_SANDBOX_UID/GID) outside its namespaces when the bridge runs as root;
// its own user, pid, ipc, uts, cgroup, mount and network namespaces; the system
// read-only; its notebook's working folder and a private /tmp the only writable
// places; an environment of PATH, HOME, LANG and the kernelspec's own; ZeroMQ
// over ipc socket files in its own runtime folder; no network unless the
// operator allows outbound access (never the host's loopback).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chown, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KernelProvider, KernelStartOptions } from './kernel-provider';
import { describeExit, KernelProcess } from './kernel-process';
import { explainMemoryExit } from './kernel-memory-limit';
import { createKernelCgroup, probeCgroups, type CgroupSupport, type KernelCgroup } from './kernel-cgroup';
import { findKernelSpec, jupyterDataDirs, listKernelSpecs } from './kernelspecs';
import { findExecutable } from './find-executable';
import { LocalKernel } from './local-kernel';
import { providedSpec, type LocalProviderOptions } from './local-provider';
import { tryOutboundNetwork } from './outbound-network';
import { processTree, treeResidentBytes } from './process-tree';
import { interpreterPrefix, sandboxArgv, sandboxEnv } from './sandbox-command';

export interface SandboxSettings {
  /** The installation's kernel uid/gid (used when the bridge runs as root). */
  uid: number;
  gid: number;
  /** Outbound network through user-mode networking (pasta). */
  outbound: boolean;
  /** CPUs' worth of time per kernel; 0: none. */
  cpus: number;
  /** Processes and threads per kernel; 0: none. */
  maxProcesses: number;
}

/** Kernels cannot start because the sandbox cannot be made here. */
export class SandboxUnavailableError extends Error {
  readonly code = 'sandbox-unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'SandboxUnavailableError';
  }
}

/** The message for a machine without bubblewrap. */
export const missingBubblewrap = 'Kernels run in a bubblewrap sandbox, and bubblewrap is not installed on this server. '
  + 'Install it (apt-get install bubblewrap), or set KERNEL_SANDBOX=none to run kernels unsandboxed (every editor can then read the server\'s data).';

/** How much more than the per-process ceiling the whole tree may use (headroom for libraries and page cache, so one process meets MemoryError first). */
const TREE_MEMORY_FACTOR = 1.25;
const WRAPPERS = new Set(['bwrap', 'pasta', 'pasta.avx2', 'passt', 'sh', 'setpriv']);

/** The first ancestor of `path` that `uid`/`gid` cannot search (enter), or null. */
function unreachableAncestor(path: string, uid: number, gid: number): string | null {
  let dir = dirname(path);
  const chain: string[] = [];
  while (true) {
    chain.unshift(dir);
    if (dir === '/') break;
    dir = dirname(dir);
  }
  for (const d of chain) {
    const st = statSync(d);
    const ok = (st.uid === uid && st.mode & 0o100) || (st.gid === gid && st.mode & 0o010) || st.mode & 0o001;
    if (!ok) return d;
  }
  return null;
}

/** Gives the working folder to the kernel's uid (all of it, if it was someone else's). */
async function giveWorkDir(workDir: string, uid: number, gid: number): Promise<void> {
  const st = await stat(workDir);
  if (st.uid === uid && st.gid === gid) return;
  const walk = async (path: string): Promise<void> => {
    await chown(path, uid, gid);
    const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const child = join(path, e.name);
      if (e.isDirectory()) await walk(child);
      else await chown(child, uid, gid).catch(() => {});
    }
  };
  await walk(workDir);
}

/** `code` 128+N from bubblewrap is the kernel's death by signal N. */
function kernelStatus(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: NodeJS.Signals | null } {
  if (signal || code === null || code <= 128) return { code, signal };
  const name = Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0] as NodeJS.Signals | undefined;
  return name ? { code: null, signal: name } : { code, signal };
}

/** The kernel process inside the sandbox: the first descendant that is not one of the wrappers. */
function innerKernelPid(spawned: number): number | null {
  for (const pid of processTree(spawned)) {
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (!WRAPPERS.has(comm)) return pid;
  }
  return null;
}

function removeWhenFree(cgroup: KernelCgroup): void {
  cgroup.remove();
  // A cgroup stays busy for a moment after its last process is reaped.
  setTimeout(() => cgroup.remove(), 200).unref();
  setTimeout(() => cgroup.remove(), 2000).unref();
}

export interface SandboxProviderOptions extends LocalProviderOptions {
  settings: SandboxSettings;
  /** Where log lines go (default console). */
  log?: (line: string) => void;
}

/** Sandboxed local kernels (KERNEL_SANDBOX=sandbox, the default). */
export function sandboxedProvider(options: SandboxProviderOptions): KernelProvider {
  const dirs = () => options.kernelSpecDirs ?? jupyterDataDirs();
  const log = options.log ?? ((line: string) => console.log(line));
  const { settings } = options;
  const asRoot = process.getuid?.() === 0;
  let cgroups: CgroupSupport | null | undefined;
  const cgroupSupport = (): CgroupSupport | null => {
    if (cgroups !== undefined) return cgroups;
    const probe = probeCgroups();
    if ('unusable' in probe) {
      log(`kernel bridge: cgroups are not usable for kernels (${probe.unusable}); memory is bounded per process (rlimit), process count and CPU are not bounded`);
      cgroups = null;
    } else {
      cgroups = probe;
    }
    return cgroups;
  };

  return {
    async listSpecs() {
      return (await listKernelSpecs(dirs())).specs.map(providedSpec);
    },
    async start(specName: string, start: KernelStartOptions) {
      const bwrap = findExecutable('bwrap');
      if (!bwrap) throw new SandboxUnavailableError(missingBubblewrap);
      const pasta = settings.outbound ? findExecutable('pasta') : null;
      if (settings.outbound && !pasta) throw new SandboxUnavailableError('Outbound network for kernels (KERNEL_SANDBOX_NETWORK=outbound) needs pasta: apt-get install passt.');
      const dropTo = asRoot ? { uid: settings.uid, gid: settings.gid } : undefined;
      if (pasta) {
        const why = await tryOutboundNetwork(pasta, dropTo);
        if (why) throw new SandboxUnavailableError(why);
      }
      const spec = await findKernelSpec(specName, dirs());

      const interpreter = spec.argv[0];
      const readOnly: string[] = [];
      if (interpreter.startsWith('/')) {
        if (!existsSync(interpreter)) throw new Error(`could not start kernel "${spec.name}" (${interpreter}): no such file`);
        const prefix = interpreterPrefix(realpathSync(interpreter));
        if (prefix && !prefix.startsWith('/etc')) readOnly.push(prefix);
      }
      if (!spec.resourceDir.startsWith('/usr/') && !readOnly.some((p) => spec.resourceDir.startsWith(`${p}/`))) readOnly.push(spec.resourceDir);

      if (dropTo) {
        await giveWorkDir(start.workDir, dropTo.uid, dropTo.gid);
        for (const path of [start.workDir, ...readOnly]) {
          const blocked = unreachableAncestor(path, dropTo.uid, dropTo.gid);
          if (blocked) {
            throw new SandboxUnavailableError(`The kernel sandbox's user (uid ${dropTo.uid}) cannot reach ${path}: ${blocked} is closed to it. Let it through (chmod o+x ${blocked}) or move the folder.`);
          }
        }
      }

      const support = cgroupSupport();
      const limitMb = start.memoryLimitMb ?? 0;
      let cgroup: KernelCgroup | null = null;
      if (support) {
        try {
          cgroup = createKernelCgroup(support, randomBytes(6).toString('hex'), {
            memoryBytes: Math.round(limitMb * TREE_MEMORY_FACTOR * 1024 * 1024),
            maxProcesses: settings.maxProcesses,
            cpus: settings.cpus,
          });
        } catch (err) {
          log(`kernel bridge: could not make a cgroup for a kernel (${(err as Error).message}); it runs with rlimits only`);
        }
      }

      let proc: KernelProcess;
      try {
        proc = await KernelProcess.launch(spec, {
          cwd: start.workDir,
          baseEnv: sandboxEnv(start.workDir, process.env),
          env: start.env,
          memoryLimitMb: limitMb,
          transport: 'ipc',
          owner: dropTo,
          launcher: (kernel, files) => ({
            argv: sandboxArgv({
              kernelArgv: kernel.argv, workDir: start.workDir, runtimeDir: files.runtimeDir, readOnly, dropTo,
              cgroupProcs: cgroup?.procsFiles, outbound: settings.outbound,
            }, { bwrap, pasta }),
            env: kernel.env,
          }),
          kernelStatus,
          explainExit: (exit) => explainMemoryExit(exit, limitMb, cgroup?.oomKilled() ?? null) ?? describeExit(exit.code, exit.signal),
        });
      } catch (err) {
        if (cgroup) removeWhenFree(cgroup);
        throw err;
      }
      if (cgroup) void proc.exited.then(() => removeWhenFree(cgroup));

      const limits = cgroup
        ? `cgroup v${cgroup.version}: ${limitMb ? `${Math.round(limitMb * TREE_MEMORY_FACTOR)} MB` : 'memory unbounded'}, ${settings.maxProcesses || 'any number of'} processes, ${settings.cpus || 'all'} CPU`
        : `rlimit only${limitMb ? `: ${limitMb} MB per process` : ''}`;
      const description = `sandboxed (bubblewrap; ${dropTo ? `uid ${dropTo.uid}` : 'the bridge\'s uid'}; ${settings.outbound ? 'outbound network only' : 'no network'}; ${limits})`;
      let kernelPid: number | null = null;
      return new LocalKernel(proc, providedSpec(spec), {
        isolation: { sandboxed: true, description },
        kernelPid: (spawned) => {
          if (kernelPid !== null && existsSync(`/proc/${kernelPid}`)) return kernelPid;
          kernelPid = innerKernelPid(spawned);
          return kernelPid;
        },
        memoryInUse: async (spawned) => cgroup?.memoryInUse() ?? treeResidentBytes(spawned),
      }, options.heartbeat);
    },
  };
}

/**
 * Tries the sandbox the way a kernel gets it (as the kernel's user, every
 * namespace, the same binds) around `/usr/bin/true`. Resolves null when it
 * works, else why not: used before serving (scripts/check-system.ts).
 */
export async function trySandbox(settings: Pick<SandboxSettings, 'uid' | 'gid'>): Promise<string | null> {
  const bwrap = findExecutable('bwrap');
  if (!bwrap) return missingBubblewrap;
  const dir = await mkdtemp(join(tmpdir(), 'cellmate-sandbox-check-'));
  try {
    const dropTo = process.getuid?.() === 0 ? { uid: settings.uid, gid: settings.gid } : undefined;
    if (dropTo) await chown(dir, dropTo.uid, dropTo.gid);
    const argv = sandboxArgv({ kernelArgv: ['/usr/bin/true'], workDir: dir, runtimeDir: dir, readOnly: [], dropTo }, { bwrap });
    const result = spawnSync(argv[0], argv.slice(1), { env: sandboxEnv(dir, {}) as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 20_000 });
    if (result.status === 0) return null;
    return `bubblewrap cannot make a kernel sandbox here (${(result.stderr || result.error?.message || `exit ${result.status}`).trim()}). `
      + 'Allow unprivileged user namespaces: sudo sysctl -w kernel.unprivileged_userns_clone=1 (Debian), '
      + 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (Ubuntu 23.10 and later), or sudo sysctl -w user.max_user_namespaces=15000 where it is 0; '
      + 'or set KERNEL_SANDBOX=none to run kernels unsandboxed';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// The command line that runs a kernel inside its bubblewrap sandbox, and the
// only environment it gets. Pure: sandbox-provider.ts decides and spawns.
//
// The sandbox (outer to inner):
// 1. `sh` (only with cgroups) writes its own pid into the kernel's cgroups,
//    then execs the rest: nothing the kernel starts is ever outside them.
// 2. `setpriv` (only when the bridge runs as root) drops to the installation's
//    kernel uid/gid with no supplementary groups: outside its namespaces the
//    kernel is that unprivileged user, never root.
// 3. `pasta` (only with outbound network) gives a network namespace of its own
//    outbound access through user-mode networking, with no port forwarded in
//    either direction and the gateway not mapped to the host: the host's
//    loopback services stay out of reach.
// 4. `bwrap`: new user, pid, ipc, uts, cgroup, mount and (unless 3) network
//    namespaces; /usr, /etc and the interpreter's prefix read-only; a private
//    /tmp, /dev and /proc (of its own pid namespace); the kernel's runtime folder
//    (connection file, ipc sockets) and its working folder (seen as
//    /notebooks/<folder name>, so nothing of the host's layout shows) the only
//    writable binds; a new session, so the kernel leads its own process group (signals
//    for interrupts go there); dies with the bridge.
import { lstatSync, readlinkSync } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface SandboxPlan {
  kernelArgv: string[];
  workDir: string;
  runtimeDir: string;
  /** Host paths outside /usr and /etc the kernel needs read-only (interpreter prefix, kernelspec folder). */
  readOnly: string[];
  /** Drop to this uid/gid first (the bridge runs as root). */
  dropTo?: { uid: number; gid: number };
  /** cgroup.procs files to join first. */
  cgroupProcs?: string[];
  /** Outbound network through pasta. */
  outbound?: boolean;
  hostname?: string;
}

/** Top-level entries that merged-/usr systems make symlinks into /usr, as this machine has them. */
const ROOT_LINKS = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];

const JOIN_CGROUPS = 'while [ "$1" != "--" ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

function rootLinks(): string[] {
  const args: string[] = [];
  for (const name of ROOT_LINKS) {
    const path = `/${name}`;
    try {
      const st = lstatSync(path);
      if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path);
      else if (st.isDirectory()) args.push('--ro-bind', path, path);
    } catch {
      // not on this system
    }
  }
  return args;
}

/** The bwrap arguments (without the program name) for `plan`. */
export function bwrapArgs(plan: SandboxPlan): string[] {
  return [
    '--unshare-all',
    ...(plan.outbound ? ['--share-net'] : []),
    '--die-with-parent',
    '--new-session',
    '--hostname', plan.hostname ?? 'kernel',
    '--ro-bind', '/usr', '/usr',
    ...rootLinks(),
    '--ro-bind', '/etc', '/etc',
    ...plan.readOnly.flatMap((p) => ['--ro-bind', p, p]),
    '--proc', '/proc',
    '--dev', '/dev',
    '--tmpfs', '/dev/shm',
    '--tmpfs', '/tmp',
    '--bind', plan.runtimeDir, plan.runtimeDir,
    '--bind', plan.workDir, workDirInside(plan.workDir),
    '--chdir', workDirInside(plan.workDir),
    '--',
    ...plan.kernelArgv,
  ];
}

/** The whole argv to spawn for `plan`, given where bwrap (and pasta) live. */
export function sandboxArgv(plan: SandboxPlan, tools: { bwrap: string; pasta?: string | null }): string[] {
  let argv = [tools.bwrap, ...bwrapArgs(plan)];
  if (plan.outbound) {
    if (!tools.pasta) throw new Error('outbound network for kernels needs pasta (apt-get install passt)');
    argv = [tools.pasta, ...pastaArgs(), ...argv];
  }
  if (plan.dropTo) argv = ['/usr/bin/setpriv', `--reuid=${plan.dropTo.uid}`, `--regid=${plan.dropTo.gid}`, '--clear-groups', '--', ...argv];
  if (plan.cgroupProcs?.length) argv = ['/bin/sh', '-c', JOIN_CGROUPS, 'cellmate-sandbox', ...plan.cgroupProcs, '--', ...argv];
  return argv;
}

/** pasta's options before the command it wraps: a network of its own, no port forwarded either way, the host not mapped as the gateway. */
export function pastaArgs(): string[] {
  return ['--config-net', '--quiet', '--foreground', '-t', 'none', '-u', 'none', '-T', 'none', '-U', 'none', '--no-map-gw', '--'];
}

/** Where the working folder `workDir` appears inside the sandbox. */
export function workDirInside(workDir: string): string {
  return `/notebooks/${basename(workDir)}`;
}

/** The environment a sandboxed kernel starts from: nothing of the bridge's but the locale. */
export function sandboxEnv(workDir: string, bridgeEnv: Record<string, string | undefined>): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: workDirInside(workDir),
    LANG: bridgeEnv.LANG && /^[A-Za-z0-9_.@-]+$/.test(bridgeEnv.LANG) ? bridgeEnv.LANG : 'C.UTF-8',
    TMPDIR: '/tmp',
    // Caches (matplotlib's font list, fontconfig's) in the private /tmp: the working
    // folder may be read-only to the kernel (`nb run` on a notebook in a read-only folder).
    MPLCONFIGDIR: '/tmp/.config/matplotlib',
    XDG_CACHE_HOME: '/tmp/.cache',
  };
}

/** The prefix an interpreter outside /usr lives under (`/opt/venv/bin/python` → `/opt/venv`), or null. */
export function interpreterPrefix(realInterpreter: string): string | null {
  if (realInterpreter.startsWith('/usr/')) return null;
  return dirname(dirname(realInterpreter));
}

// One running kernel process: picks its ZeroMQ endpoints (free TCP ports, or
// socket files for the ipc transport), writes the connection file, spawns the
// kernelspec's argv (through a launcher such as the sandbox, when given one),
// and reports how the process ended.
//
// Invariants: the spawned process leads its own process group, so signals reach
// the whole tree; the connection file (which holds the signing key) is private
// (0600, in a 0700 directory) and is deleted, with the socket files beside it,
// once the process has exited; `exited` always settles (it resolves, never
// rejects) once the process is gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainMemoryExit, memoryLimitedLaunch } from './kernel-memory-limit';
import type { KernelSpec } from './kernelspecs';
import type { KernelEnd } from './kernel-provider';

export interface ConnectionInfo {
  /** tcp: `ip` is an address and each port a TCP port; ipc: `ip` is a path prefix and each socket is the file `<ip>-<port>`. */
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name: string;
}

/** How the process ended. `reason` is a sentence for users. */
export type KernelExit = KernelEnd;

/** The ZeroMQ endpoint of `port` under `info`, as a connect/bind address. */
export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === 'ipc' ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}

/** The command that actually runs: the kernel's argv as is, or wrapped (a sandbox). */
export interface KernelCommand {
  argv: string[];
  /** The whole environment of the spawned process. */
  env: Record<string, string>;
}

/** Turns the kernel's own argv and environment into the command to spawn (the sandbox does). */
export type KernelLauncher = (kernel: KernelCommand, files: { runtimeDir: string; connectionFile: string }) => KernelCommand;

export interface LaunchOptions {
  cwd: string;
  /** Extra environment, applied over the base environment and the spec's env. */
  env?: Record<string, string>;
  /** The environment the kernel starts from (default: this process's). */
  baseEnv?: Record<string, string | undefined>;
  /** Ceiling on the kernel's private memory in MB (kernel-memory-limit.ts); 0 or absent: none. */
  memoryLimitMb?: number;
  /** 'ipc' puts the sockets in the kernel's own runtime folder (default 'tcp' on 127.0.0.1). */
  transport?: 'tcp' | 'ipc';
  /** Wraps the command (default: run the kernel's argv directly). */
  launcher?: KernelLauncher;
  /** Owner to give the runtime folder and connection file (the sandbox's uid/gid). */
  owner?: { uid: number; gid: number };
  /** Turns an exit into a sentence for users (default: the code or signal, memory exhaustion explained). */
  explainExit?: (exit: { code: number | null; signal: NodeJS.Signals | null; outputTail: string }) => string;
  /** Reads the spawned process's exit status as the kernel's (a sandbox reports a kernel's signal N as code 128+N). */
  kernelStatus?: (code: number | null, signal: NodeJS.Signals | null) => { code: number | null; signal: NodeJS.Signals | null };
}

const TAIL_BYTES = 8192;

/** `count` distinct free TCP ports on 127.0.0.1 (held open together, then released). */
export async function findFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, host, () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `kernel process exited with signal ${signal}`;
  return `kernel process exited with code ${code}`;
}

export class KernelProcess {
  readonly exited: Promise<KernelExit>;
  /**
   * Resolves if the kernel reports that one of its ports was taken: ports are
   * chosen free and released before the kernel binds them, and on a busy machine
   * another process can take one meanwhile. ipykernel then keeps running without
   * that socket, so the caller must not wait for it; it starts over instead.
   */
  readonly portTaken: Promise<void>;
  private tail = '';
  private exitInfo: KernelExit | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly spec: KernelSpec,
    readonly connection: ConnectionInfo,
    readonly connectionFile: string,
    readonly runtimeDir: string,
    private readonly explain: (exit: { code: number | null; signal: NodeJS.Signals | null; outputTail: string }) => string,
    private readonly kernelStatus: (code: number | null, signal: NodeJS.Signals | null) => { code: number | null; signal: NodeJS.Signals | null } = (code, signal) => ({ code, signal }),
  ) {
    let signalPortTaken!: () => void;
    this.portTaken = new Promise((resolve) => { signalPortTaken = resolve; });
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
      if (/Address already in use/i.test(this.tail)) signalPortTaken();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise<KernelExit>((resolve) => {
      let done = false;
      const finish = (spawnedCode: number | null, spawnedSignal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        const { code, signal } = this.kernelStatus(spawnedCode, spawnedSignal);
        const outputTail = this.tail.trimEnd();
        const reason = this.explain({ code, signal, outputTail });
        this.exitInfo = { code, signal, reason, outputTail };
        rm(this.runtimeDir, { recursive: true, force: true }).catch(() => {}).then(() => resolve(this.exitInfo!));
      };
      // 'close' waits for stdio to drain so the tail is complete; a grandchild holding
      // the pipes open must not delay the report, hence the short grace after 'exit'.
      child.once('close', finish);
      child.once('exit', (code, signal) => setTimeout(() => finish(code, signal), 300).unref());
      child.once('error', (err) => {
        this.tail += `\n${err.message}`;
        finish(null, null);
      });
    });
  }

  /** Spawns the kernel described by `spec`. Resolves once the process is spawned. */
  static async launch(spec: KernelSpec, options: LaunchOptions): Promise<KernelProcess> {
    const runtimeDir = await mkdtemp(join(process.env.JUPYTER_RUNTIME_DIR || tmpdir(), 'cellmate-kernel-'));
    const transport = options.transport ?? 'tcp';
    const [shell, iopub, stdin, control, hb] = transport === 'ipc' ? [1, 2, 3, 4, 5] : await findFreePorts(5);
    const connection: ConnectionInfo = {
      transport,
      ip: transport === 'ipc' ? join(runtimeDir, 'kernel') : '127.0.0.1',
      shell_port: shell,
      iopub_port: iopub,
      stdin_port: stdin,
      control_port: control,
      hb_port: hb,
      key: randomBytes(32).toString('hex'),
      signature_scheme: 'hmac-sha256',
      kernel_name: spec.name,
    };
    const connectionFile = join(runtimeDir, `kernel-${randomBytes(6).toString('hex')}.json`);
    await writeFile(connectionFile, JSON.stringify(connection, null, 2), { mode: 0o600 });
    if (options.owner) {
      await chown(runtimeDir, options.owner.uid, options.owner.gid);
      await chown(connectionFile, options.owner.uid, options.owner.gid);
    }
    const argv = spec.argv.map((a) => a.replaceAll('{connection_file}', connectionFile).replaceAll('{resource_dir}', spec.resourceDir));
    const limited = memoryLimitedLaunch(argv, options.memoryLimitMb ?? 0);
    const env: Record<string, string | undefined> = {
      ...limited.env,
      ...(options.baseEnv ?? process.env),
      ...spec.env,
      ...options.env,
    };
    const kernel = { argv: limited.argv, env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)) };
    const command = options.launcher ? options.launcher(kernel, { runtimeDir, connectionFile }) : kernel;
    const child = spawn(command.argv[0], command.argv.slice(1), {
      cwd: options.cwd,
      env: command.env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const limitMb = options.memoryLimitMb ?? 0;
    const explain = options.explainExit ?? ((exit) => explainMemoryExit(exit, limitMb) ?? describeExit(exit.code, exit.signal));
    const proc = new KernelProcess(child, spec, connection, connectionFile, runtimeDir, explain, options.kernelStatus);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => {
        reject(new Error(`could not start kernel "${spec.name}" (${argv[0]}): ${err.message}`));
      });
    });
    return proc;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Set once the process has exited. */
  get exit(): KernelExit | null {
    return this.exitInfo;
  }

  get outputTail(): string {
    return this.tail.trimEnd();
  }

  /** Sends `signal` to the kernel's whole process group; false if it is gone. */
  signal(signal: NodeJS.Signals): boolean {
    if (this.exitInfo || this.child.pid === undefined) return false;
    try {
      process.kill(-this.child.pid, signal);
      return true;
    } catch {
      try {
        return this.child.kill(signal);
      } catch {
        return false;
      }
    }
  }

  /** SIGKILLs the process group and waits for the exit. */
  async kill(): Promise<KernelExit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** Waits up to `ms` for the process to exit; true if it did. */
  async waitForExit(ms: number): Promise<boolean> {
    if (this.exitInfo) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((r) => { timer = setTimeout(() => r(false), ms); });
    const result = await Promise.race([this.exited.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return result;
  }
}

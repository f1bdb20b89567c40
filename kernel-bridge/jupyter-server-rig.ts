// Test rig: a real Jupyter Server (Debian's python3-jupyter-server) as the kernel
// gateway, on a free port with a random token, in a temporary root folder, with
// its runtime and config folders private to the test. `stop()` and `start()`
// again on the same port stand for a gateway restart; a TCP proxy in front of it
// stands for a slow gateway or a network that cuts connections.
// Used by the gateway *.test.ts files of this folder only.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KernelGatewaySettings } from '../config/gateway';
import { findFreePorts } from './kernel-process';

const PYTHON = '/usr/bin/python3';
/** A Jupyter Server with ipykernel starts in 1–3 s here; a loaded two-core machine may take far longer. */
const START_DEADLINE_MS = 60_000;
const STOP_DEADLINE_MS = 15_000;

export interface JupyterServerRig {
  readonly url: string;
  readonly token: string;
  readonly port: number;
  /** Gateway settings pointing at this server. */
  settings(overrides?: Partial<KernelGatewaySettings>): KernelGatewaySettings;
  /** Starts the server (again) on the same port; resolves once its API answers. */
  start(): Promise<void>;
  /** Stops the server (SIGTERM: it shuts its kernels down; SIGKILL after a deadline). */
  stop(): Promise<void>;
  /** Stops it for good and removes its folders. */
  close(): Promise<void>;
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startJupyterServer(): Promise<JupyterServerRig> {
  const dir = mkdtempSync(join(tmpdir(), 'cellmate-gateway-'));
  const [port] = await findFreePorts(1);
  const token = randomBytes(16).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';

  const start = async () => {
    log = '';
    const args = ['-m', 'jupyter_server', `--ServerApp.token=${token}`, `--port=${port}`, '--port-retries=0', '--ip=127.0.0.1',
      '--no-browser', `--ServerApp.root_dir=${dir}`];
    if (process.getuid?.() === 0) args.push('--allow-root');
    const proc = spawn(PYTHON, args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...({} as NodeJS.ProcessEnv),
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        JUPYTER_RUNTIME_DIR: join(dir, 'runtime'),
        JUPYTER_CONFIG_DIR: join(dir, 'config'),
        IPYTHONDIR: join(dir, 'ipython'),
      },
    });
    child = proc;
    const keep = (b: Buffer) => { log = (log + b.toString('utf8')).slice(-8192); };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    const deadline = Date.now() + START_DEADLINE_MS;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`Jupyter Server exited while starting:\n${log}`);
      const up = await fetch(`${url}/api`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      if (up) return;
      if (Date.now() > deadline) throw new Error(`Jupyter Server did not answer within ${START_DEADLINE_MS / 1000} s:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc) return;
    proc.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => { timer = setTimeout(() => r('late'), STOP_DEADLINE_MS); });
    if ((await Promise.race([exitOf(proc), late])) === 'late') {
      proc.kill('SIGKILL');
      await exitOf(proc);
    }
    clearTimeout(timer);
  };

  await start();
  return {
    url,
    token,
    port,
    settings: (overrides = {}) => ({ url, token, requestTimeoutMs: 10_000, startTimeoutMs: 60_000, ...overrides }),
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TcpProxy {
  readonly url: string;
  /** Holds every answer from the server back this long from now on (0: pass at once). */
  setDelay(ms: number): void;
  /** Cuts every connection through the proxy (new ones are still accepted). */
  cutAll(): void;
  /** Cuts everything and stops accepting: the gateway becomes unreachable. */
  close(): Promise<void>;
}

/** A TCP proxy to 127.0.0.1:`port`. */
export async function startProxy(port: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let delayMs = 0;
  const proxy = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (b) => upstream.write(b));
    upstream.on('data', (b) => {
      if (delayMs === 0) client.write(b);
      else setTimeout(() => client.write(b), delayMs);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    setDelay(ms) { delayMs = ms; },
    cutAll() { for (const s of sockets) s.destroy(); },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      proxy.close(() => resolve());
    }),
  };
}

// Test rig for whole bridge processes (kernel-bridge/main.ts as `npm start`
// runs it), for the tests that kill one: start one with an environment, the
// kernels it started (its child processes), stop it, and a y-websocket viewer
// that watches a notebook from outside. Used by the *.test.ts files of this folder only.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { signNotebookToken } from '../auth/notebook-token';
import { waitFor } from './bridge-test-harness';

export interface BridgeProcess {
  child: ChildProcess;
  /** The bridge's HTTP API. */
  url: string;
}

/**
 * Starts a bridge process with `env` (over this process's environment; no
 * memory limit; BRIDGE_PORT 0 unless given) and resolves once it listens.
 */
export function startBridgeProcess(env: Record<string, string>): Promise<BridgeProcess> {
  const child = spawn(process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--import', 'tsx', 'kernel-bridge/main.ts'], {
    env: { ...process.env, BRIDGE_PORT: '0', KERNEL_MEMORY_LIMIT_MB: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const port = /listening on http:\/\/localhost:(\d+)/.exec(out)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`the bridge exited early (${code}): ${out}`)));
  });
}

/** Sends `signal` to the bridge (if it still runs) and waits until it has exited. */
export async function stopBridgeProcess(bridge: BridgeProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const { child } = bridge;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** The process ids of `pid`'s children (the kernels a bridge started; each leads its own process group). */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Kills the process groups of kernels a killed bridge could not stop. */
export function killOrphanKernels(pids: number[]): void {
  for (const pid of pids) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}

/** A viewer's replica of notebook `notebookId`, synced from the collab server at `collabUrl`. */
export async function watchNotebook(collabUrl: string, notebookId: string): Promise<{ doc: Y.Doc; close(): void }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(collabUrl, notebookId, doc, {
    params: { token: await signNotebookToken({ notebookId, role: 'viewer', name: 'Watcher', userId: 'w' }) },
    WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
    disableBc: true,
  });
  const close = () => {
    provider.destroy();
    doc.destroy();
  };
  try {
    await waitFor(() => provider.synced, 10_000, 'the watcher to sync');
  } catch (err) {
    close();
    throw err;
  }
  return { doc, close };
}

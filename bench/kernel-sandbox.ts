// What the sandbox costs: kernel start time and execute round trip (`1+1`) of
// the same python3 kernelspec, sandboxed (bubblewrap, ipc, cgroup) vs
// unsandboxed (KERNEL_SANDBOX=none: a plain process over tcp) through
// KernelClient, and Debian's jupyter_client (bench/kernel_sandbox_reference.py)
// in the same run. Starts alternate between the two providers so machine load
// hits both alike. Targets (issue 12): sandboxed round trip p50 within 1.1x of
// unsandboxed; sandboxed start within 1.3x of unsandboxed.
//   node --import tsx bench/kernel-sandbox.ts [N=200] [warmup=20] [starts=5]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { kernelConfig } from '../config/kernels';
import { KernelClient } from '../kernel-bridge/kernel-client';
import type { KernelProvider } from '../kernel-bridge/kernel-provider';
import { defaultKernelMemoryLimitMb } from '../kernel-bridge/kernel-memory-limit';
import { unsandboxedProvider } from '../kernel-bridge/local-provider';
import { sandboxedProvider } from '../kernel-bridge/sandbox-provider';
import { percentile } from './bench-kit';

const n = Number(process.argv[2] ?? 200);
const warmup = Number(process.argv[3] ?? 20);
const starts = Number(process.argv[4] ?? 5);
const memoryLimitMb = defaultKernelMemoryLimitMb;

const providers: Record<'sandboxed' | 'unsandboxed', KernelProvider> = {
  sandboxed: sandboxedProvider({
    settings: { uid: kernelConfig.sandboxUid, gid: kernelConfig.sandboxGid, outbound: false, cpus: kernelConfig.cpuLimit, maxProcesses: kernelConfig.maxProcesses },
    log: (line) => console.error(line),
  }),
  unsandboxed: unsandboxedProvider(),
};

function summary(values: number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function startOnce(provider: KernelProvider): Promise<number> {
  const t0 = performance.now();
  const kernel = await KernelClient.start({ provider, memoryLimitMb });
  const ms = performance.now() - t0;
  await kernel.shutdown();
  return ms;
}

async function roundTrips(provider: KernelProvider): Promise<{ timings: number[]; isolation: string }> {
  const kernel = await KernelClient.start({ provider, memoryLimitMb });
  const timings: number[] = [];
  try {
    for (let i = 0; i < warmup + n; i++) {
      const t0 = performance.now();
      const outcome = await kernel.execute('1+1').done;
      const elapsed = performance.now() - t0;
      if (outcome.status !== 'completed' || outcome.reply.status !== 'ok') throw new Error(`execute failed: ${JSON.stringify(outcome)}`);
      if (i >= warmup) timings.push(elapsed);
    }
    return { timings, isolation: kernel.isolation?.description ?? '' };
  } finally {
    await kernel.shutdown();
  }
}

function reference(): { start_ms: number[]; roundtrip_ms: number[] } {
  const script = fileURLToPath(new URL('./kernel_sandbox_reference.py', import.meta.url));
  const r = spawnSync('/usr/bin/python3', [script, String(n), String(warmup), String(starts)], {
    encoding: 'utf8', env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' }, timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`jupyter_client reference failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const startTimes = { sandboxed: [] as number[], unsandboxed: [] as number[] };
await startOnce(providers.sandboxed); // warms the page cache for both
for (let i = 0; i < starts; i++) {
  startTimes.sandboxed.push(await startOnce(providers.sandboxed));
  startTimes.unsandboxed.push(await startOnce(providers.unsandboxed));
}
const sandboxed = await roundTrips(providers.sandboxed);
const unsandboxed = await roundTrips(providers.unsandboxed);
const ref = reference();

const rows = [
  ['sandboxed', summary(startTimes.sandboxed), summary(sandboxed.timings)],
  ['unsandboxed', summary(startTimes.unsandboxed), summary(unsandboxed.timings)],
  ['jupyter_client', summary(ref.start_ms), summary(ref.roundtrip_ms)],
] as const;
const fmt = (x: number, w = 9) => x.toFixed(2).padStart(w);
console.log(`python3 kernel, ${starts} starts each (median shown), round trip of 1+1 N=${n} after ${warmup} warm-up; milliseconds`);
console.log(`sandboxed kernels: ${sandboxed.isolation}`);
console.log(`${''.padEnd(16)}${'start p50'.padStart(10)}${'rt p50'.padStart(10)}${'rt p99'.padStart(10)}`);
for (const [name, start, rt] of rows) console.log(`${name.padEnd(16)}${fmt(start.p50, 10)}${fmt(rt.p50, 10)}${fmt(rt.p99, 10)}`);
const rtRatio = summary(sandboxed.timings).p50 / summary(unsandboxed.timings).p50;
const startRatio = summary(startTimes.sandboxed).p50 / summary(startTimes.unsandboxed).p50;
console.log(`sandboxed / unsandboxed round trip p50: ${rtRatio.toFixed(2)}x (target at most 1.10x) ${rtRatio <= 1.1 ? 'met' : 'NOT met'}`);
console.log(`sandboxed / unsandboxed start p50:      ${startRatio.toFixed(2)}x (target at most 1.30x) ${startRatio <= 1.3 ? 'met' : 'NOT met'}`);

// What the sandbox costs: kernel start time and execute round trip (`1+1`) of
// the same python3 kernelspec, sandboxed (bubblewrap, ipc, cgroup) vs
// unsandboxed (KERNEL_SANDBOX=none: a plain process over tcp) through
// KernelClient, and Debian's jupyter_client (bench/kernel_sandbox_reference.py)
// in the same run. Starts alternate between the two providers so machine load
// hits both alike. Targets (issue 12): sandboxed round trip p50 within 1.1x of
// unsandboxed; sandboxed start within 1.3x of unsandboxed.
//   node --import tsx bench/kernel-sandbox.ts [N=200] [warmup=20] [starts=5]
import { kernelConfig } from '../config/kernels';
import { KernelClient } from '../kernel-bridge/kernel-client';
import type { KernelProvider } from '../kernel-bridge/kernel-provider';
import { defaultKernelMemoryLimitMb } from '../kernel-bridge/kernel-memory-limit';
import { unsandboxedProvider } from '../kernel-bridge/local-provider';
import { sandboxedProvider } from '../kernel-bridge/sandbox-provider';
import { executeRoundTrips, runReference, summary } from './kernel-timing';

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

async function startOnce(provider: KernelProvider): Promise<number> {
  const t0 = performance.now();
  const kernel = await KernelClient.start({ provider, memoryLimitMb });
  const ms = performance.now() - t0;
  await kernel.shutdown();
  return ms;
}

async function roundTrips(provider: KernelProvider): Promise<{ timings: number[]; isolation: string }> {
  const kernel = await KernelClient.start({ provider, memoryLimitMb });
  try {
    return { timings: await executeRoundTrips(kernel, n, warmup), isolation: kernel.isolation?.description ?? '' };
  } finally {
    await kernel.shutdown();
  }
}

function reference(): { start_ms: number[]; roundtrip_ms: number[] } {
  return runReference('kernel_sandbox_reference.py', [n, warmup, starts], 600_000);
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

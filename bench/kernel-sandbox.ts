// What the sandbox costs: kernel start time and execute round trip (`1+1`) of
// the same python3 kernelspec, sandboxed (bubblewrap, ipc, cgroup) vs
// unsandboxed (KERNEL_SANDBOX=none: a plain process over tcp) through
// KernelClient, and Debian's jupyter_client (bench/kernel_sandbox_reference.py)
// in the same run. Starts alternate between the two providers, and round trips
// are timed in alternating batches on two live kernels, so the load of a shared
// machine hits both alike. Also printed: how often the sandboxed kernel's CPU
// limit (cgroup quota) held it back during its round trips. Targets (issue 12):
// sandboxed round trip p50 within 1.1x of unsandboxed; sandboxed start within
// 1.3x of unsandboxed.
//   node --import tsx bench/kernel-sandbox.ts [N=200] [warmup=20] [starts=5]
import { readFileSync } from 'node:fs';
import { kernelConfig } from '../config/kernels';
import { KernelClient } from '../kernel-bridge/kernel-client';
import type { KernelProvider } from '../kernel-bridge/kernel-provider';
import { cpuThrottling } from '../kernel-bridge/kernel-cgroup';
import { defaultKernelMemoryLimitMb } from '../kernel-bridge/kernel-memory-limit';
import { unsandboxedProvider } from '../kernel-bridge/local-provider';
import { processTree } from '../kernel-bridge/process-tree';
import { sandboxedProvider } from '../kernel-bridge/sandbox-provider';
import { executeRoundTrips, runReference, summary } from './kernel-timing';

const n = Number(process.argv[2] ?? 200);
const warmup = Number(process.argv[3] ?? 20);
const starts = Number(process.argv[4] ?? 5);
const memoryLimitMb = defaultKernelMemoryLimitMb;
/** Round trips per batch before switching kernels. */
const BATCH = 20;

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

/** Round trips on one kernel of each provider, in alternating batches of BATCH; with the sandboxed kernel's CPU throttling over them. */
async function roundTrips(): Promise<{ sandboxed: number[]; unsandboxed: number[]; isolation: string; throttling: string }> {
  const before = new Set(kernelPythons());
  const sandboxedKernel = await KernelClient.start({ provider: providers.sandboxed, memoryLimitMb });
  const sandboxedPid = kernelPythons().find((pid) => !before.has(pid));
  const unsandboxedKernel = await KernelClient.start({ provider: providers.unsandboxed, memoryLimitMb });
  try {
    await executeRoundTrips(sandboxedKernel, 0, warmup);
    await executeRoundTrips(unsandboxedKernel, 0, warmup);
    const throttledBefore = sandboxedPid ? cpuThrottling(sandboxedPid) : null;
    const timings = { sandboxed: [] as number[], unsandboxed: [] as number[] };
    for (let done = 0; done < n; done += BATCH) {
      const size = Math.min(BATCH, n - done);
      timings.sandboxed.push(...await executeRoundTrips(sandboxedKernel, size, 0));
      timings.unsandboxed.push(...await executeRoundTrips(unsandboxedKernel, size, 0));
    }
    const throttledAfter = sandboxedPid ? cpuThrottling(sandboxedPid) : null;
    const throttling = throttledBefore && throttledAfter
      ? `throttled in ${throttledAfter.throttled - throttledBefore.throttled} of ${throttledAfter.periods - throttledBefore.periods} CPU periods, ${(throttledAfter.throttledMs - throttledBefore.throttledMs).toFixed(1)} ms in all`
      : 'no CPU cgroup';
    return { ...timings, isolation: sandboxedKernel.isolation?.description ?? '', throttling };
  } finally {
    await sandboxedKernel.shutdown();
    await unsandboxedKernel.shutdown();
  }
}

/** Python processes under this one (the kernels). */
function kernelPythons(): number[] {
  return processTree(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'python3';
    } catch {
      return false;
    }
  });
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
const trips = await roundTrips();
const ref = reference();

const rows = [
  ['sandboxed', summary(startTimes.sandboxed), summary(trips.sandboxed)],
  ['unsandboxed', summary(startTimes.unsandboxed), summary(trips.unsandboxed)],
  ['jupyter_client', summary(ref.start_ms), summary(ref.roundtrip_ms)],
] as const;
const fmt = (x: number, w = 9) => x.toFixed(2).padStart(w);
console.log(`python3 kernel, ${starts} starts each (median shown), round trip of 1+1 N=${n} after ${warmup} warm-up; milliseconds`);
console.log(`sandboxed kernels: ${trips.isolation}`);
console.log(`${''.padEnd(16)}${'start p50'.padStart(10)}${'rt p50'.padStart(10)}${'rt p99'.padStart(10)}`);
for (const [name, start, rt] of rows) console.log(`${name.padEnd(16)}${fmt(start.p50, 10)}${fmt(rt.p50, 10)}${fmt(rt.p99, 10)}`);
const rtRatio = summary(trips.sandboxed).p50 / summary(trips.unsandboxed).p50;
const startRatio = summary(startTimes.sandboxed).p50 / summary(startTimes.unsandboxed).p50;
console.log(`sandboxed / unsandboxed round trip p50: ${rtRatio.toFixed(2)}x (target at most 1.10x) ${rtRatio <= 1.1 ? 'met' : 'NOT met'}`);
console.log(`sandboxed / unsandboxed start p50:      ${startRatio.toFixed(2)}x (target at most 1.30x) ${startRatio <= 1.3 ? 'met' : 'NOT met'}`);
console.log(`sandboxed kernel's CPU limit during its round trips: ${trips.throttling}`);

// Execute round-trip benchmark: N executes of `1+1` through KernelClient, then the
// same through Debian's jupyter_client (bench/kernel_roundtrip_reference.py) in the
// same run. A round trip ends when both the execute_reply and the request's iopub
// `status: idle` arrived. Prints p50/p99 of both and our/reference ratio.
//   node --import tsx bench/kernel-roundtrip.ts [N=200] [warmup=20]
import { KernelClient } from '../kernel-bridge/kernel-client';
import { executeRoundTrips, runReference, summary } from './kernel-timing';

const n = Number(process.argv[2] ?? 200);
const warmup = Number(process.argv[3] ?? 20);

async function measureKernelClient(): Promise<number[]> {
  const kernel = await KernelClient.start({ specName: 'python3' });
  try {
    return await executeRoundTrips(kernel, n, warmup);
  } finally {
    await kernel.shutdown();
  }
}

function measureReference(): number[] {
  return runReference<{ timings_ms: number[] }>('kernel_roundtrip_reference.py', [n, warmup], 300_000).timings_ms;
}

const ours = summary(await measureKernelClient());
const reference = summary(measureReference());
const fmt = (x: number) => x.toFixed(2).padStart(8);
console.log(`execute round trip of 1+1, N=${n} (after ${warmup} warm-up), milliseconds`);
console.log(`                         p50      p99`);
console.log(`KernelClient        ${fmt(ours.p50)} ${fmt(ours.p99)}`);
console.log(`jupyter_client      ${fmt(reference.p50)} ${fmt(reference.p99)}`);
console.log(`ratio (ours/ref)    ${fmt(ours.p50 / reference.p50)} ${fmt(ours.p99 / reference.p99)}`);

// Execute round-trip benchmark: N executes of `1+1` through KernelClient, then the
// same through Debian's jupyter_client (bench/kernel_roundtrip_reference.py) in the
// same run. A round trip ends when both the execute_reply and the request's iopub
// `status: idle` arrived. Prints p50/p99 of both and our/reference ratio.
//   node --import tsx bench/kernel-roundtrip.ts [N=200] [warmup=20]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KernelClient } from '../kernel-bridge/kernel-client';

const n = Number(process.argv[2] ?? 200);
const warmup = Number(process.argv[3] ?? 20);

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function summary(timings: number[]): { p50: number; p99: number } {
  const sorted = [...timings].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function measureKernelClient(): Promise<number[]> {
  const kernel = await KernelClient.start({ specName: 'python3' });
  const timings: number[] = [];
  try {
    for (let i = 0; i < warmup + n; i++) {
      const t0 = performance.now();
      const outcome = await kernel.execute('1+1').done;
      const elapsed = performance.now() - t0;
      if (outcome.status !== 'completed' || outcome.reply.status !== 'ok') throw new Error(`execute failed: ${JSON.stringify(outcome)}`);
      if (i >= warmup) timings.push(elapsed);
    }
  } finally {
    await kernel.shutdown();
  }
  return timings;
}

function measureReference(): number[] {
  const script = fileURLToPath(new URL('./kernel_roundtrip_reference.py', import.meta.url));
  const r = spawnSync('/usr/bin/python3', [script, String(n), String(warmup)], {
    encoding: 'utf8',
    env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`reference benchmark failed (${r.status}): ${r.stderr}`);
  const lastLine = r.stdout.trim().split('\n').pop()!;
  return (JSON.parse(lastLine) as { timings_ms: number[] }).timings_ms;
}

const ours = summary(await measureKernelClient());
const reference = summary(measureReference());
const fmt = (x: number) => x.toFixed(2).padStart(8);
console.log(`execute round trip of 1+1, N=${n} (after ${warmup} warm-up), milliseconds`);
console.log(`                         p50      p99`);
console.log(`KernelClient        ${fmt(ours.p50)} ${fmt(ours.p99)}`);
console.log(`jupyter_client      ${fmt(reference.p50)} ${fmt(reference.p99)}`);
console.log(`ratio (ours/ref)    ${fmt(ours.p50 / reference.p50)} ${fmt(ours.p99 / reference.p99)}`);

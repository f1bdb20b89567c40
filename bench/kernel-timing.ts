// What the kernel benchmarks (kernel-roundtrip.ts, kernel-sandbox.ts) share:
// the execute round trip of `1+1` through KernelClient, ended when both the
// execute_reply and the request's iopub `status: idle` arrived; p50/p99 of a
// series; and their jupyter_client reference scripts, run with Debian's python3
// (the round trip there: `round_trips` in kernel_roundtrip_reference.py).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KernelClient } from '../kernel-bridge/kernel-client';
import { percentile } from './bench-kit';

/** Milliseconds of each of `n` executes of `1+1` on `kernel`, after `warmup` untimed ones. */
export async function executeRoundTrips(kernel: KernelClient, n: number, warmup: number): Promise<number[]> {
  const timings: number[] = [];
  for (let i = 0; i < warmup + n; i++) {
    const t0 = performance.now();
    const outcome = await kernel.execute('1+1').done;
    const elapsed = performance.now() - t0;
    if (outcome.status !== 'completed' || outcome.reply.status !== 'ok') throw new Error(`execute failed: ${JSON.stringify(outcome)}`);
    if (i >= warmup) timings.push(elapsed);
  }
  return timings;
}

/** The median and 99th percentile of `values`. */
export function summary(values: number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Runs the reference script `name` (beside this file) with `args`; its last stdout line, parsed as JSON. */
export function runReference<T>(name: string, args: (string | number)[], timeoutMs: number): T {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const r = spawnSync('/usr/bin/python3', [script, ...args.map(String)], {
    encoding: 'utf8', env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' }, timeout: timeoutMs,
  });
  if (r.status !== 0) throw new Error(`jupyter_client reference ${name} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

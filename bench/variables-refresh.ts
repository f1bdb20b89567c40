// The variables refresh after a run (kernel-bridge/variables.ts): one silent
// execute_request whose user_expressions describe every user variable, on a
// real python3 kernel holding 1,000 variables (ints, strings, lists, dicts,
// small numpy arrays and DataFrames, one 100 MB array). "Kernel time" is what the
// snippet measures inside the kernel (perf_counter around it); the round trip
// adds the wire protocol and IPython's own request handling.
//
//   node --import tsx bench/variables-refresh.ts
import { performance } from 'node:perf_hooks';
import { KernelClient } from '../kernel-bridge/kernel-client';
import { readVariables } from '../kernel-bridge/variables';
import { percentile } from './bench-kit';

const VARIABLES = 1_000;
const ROUNDS = Number(process.env.ROUNDS ?? 50);
const TARGET_KERNEL_MS = 10;

const kernel = await KernelClient.start({ specName: 'python3' });
try {
  const setup = await kernel.execute([
    'import numpy as np, pandas as pd',
    'big = np.ones((100 * 2**20) // 8)',
    `for i in range(${VARIABLES - 1}):`,
    '    k = i % 6',
    '    globals()[f"v{i}"] = i if k == 0 else f"text {i}" if k == 1 else list(range(i % 50)) if k == 2 else {"a": i} if k == 3 else np.arange(i % 100) if k == 4 else pd.DataFrame({"x": range(i % 20)})',
  ].join('\n'), { storeHistory: true }).done;
  if (setup.status !== 'completed' || setup.reply.status !== 'ok') throw new Error(`set-up failed: ${JSON.stringify(setup)}`);

  const kernelMs: number[] = [];
  const roundTripMs: number[] = [];
  let total = 0;
  let listed = 0;
  for (let round = 0; round < ROUNDS + 3; round++) {
    const start = performance.now();
    const report = await readVariables((code, options) => kernel.execute(code, options));
    const elapsed = performance.now() - start;
    if (round < 3) continue; // warm-up: the first refresh imports reprlib and json
    kernelMs.push(report.kernelMs);
    roundTripMs.push(elapsed);
    total = report.total;
    listed = report.list.length;
  }
  kernelMs.sort((a, b) => a - b);
  roundTripMs.sort((a, b) => a - b);
  console.log(`kernel: python3, ${total} user variables (${listed} described, the largest first)`);
  console.log(`refresh, kernel time, ${ROUNDS} rounds: median ${percentile(kernelMs, 50).toFixed(2)} ms, p95 ${percentile(kernelMs, 95).toFixed(2)} ms   (target: under ${TARGET_KERNEL_MS} ms for ${VARIABLES} variables)`);
  console.log(`refresh, round trip from the bridge: median ${percentile(roundTripMs, 50).toFixed(2)} ms, p95 ${percentile(roundTripMs, 95).toFixed(2)} ms`);
} finally {
  await kernel.shutdown();
}

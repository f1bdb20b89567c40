// Shift+Enter to output on every collaborator's screen, through the real path:
// an HTTP execute request to the bridge, the shared kernel, the bridge writing
// the output into the document, the collab server storing and broadcasting it,
// and N y-websocket clients receiving it. Measured for N = 1, 10, 50:
//   (b) a trivial cell: request sent → the output is in all N clients' documents;
//   (c) a 100,000-line print: request sent → every client holds all lines, and
//       the document's encoded size afterwards.
//   node --experimental-wasm-modules --import tsx bench/run-fanout.ts [runs=40] [clients=1,10,50]
import * as Y from 'yjs';
import { cellsOf, outputsOf, outputToJSON } from '../notebook-model';
import { startRig, waitFor, type Browser } from '../kernel-bridge/bridge-test-harness';

const runs = Number(process.argv[2] ?? 40);
const counts = (process.argv[3] ?? '1,10,50').split(',').map(Number);

function outputText(doc: Y.Doc, index: number): string {
  const cell = cellsOf(doc).get(index);
  if (!cell) return '';
  return outputsOf(cell).toArray().map((o) => {
    const json = outputToJSON(o) as { text?: string; data?: Record<string, string> };
    return json.text ?? json.data?.['text/plain'] ?? '';
  }).join('');
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const rig = await startRig();
try {
  for (const n of counts) {
    const { id, cellIds } = await rig.notebook(['print(__import__("time").perf_counter_ns())', 'for i in range(100000):\n    print(i)']);
    const token = await rig.token(id, 'editor');
    const clients: Browser[] = [];
    for (let i = 0; i < n; i++) clients.push(await rig.browser(id));

    // Warm up: start the kernel and let the first output arrive everywhere.
    await rig.post(`/notebooks/${id}/execute`, token, { cellIds: [cellIds[0]] });
    await waitFor(() => clients.every((c) => outputText(c.doc, 0).length > 0), 60_000, 'the warm-up output');

    const latencies: number[] = [];
    for (let r = 0; r < runs; r++) {
      const before = clients.map((c) => outputText(c.doc, 0));
      const started = performance.now();
      const res = await rig.post(`/notebooks/${id}/execute`, token, { cellIds: [cellIds[0]] });
      if (res.status !== 202) throw new Error(`execute answered ${res.status}: ${JSON.stringify(res.body)}`);
      // Poll tightly: the figure is the moment the last client holds the new output.
      await new Promise<void>((resolve) => {
        const check = () => {
          if (clients.every((c, i) => { const t = outputText(c.doc, 0); return t.length > 0 && t !== before[i]; })) resolve();
          else setImmediate(check);
        };
        check();
      });
      latencies.push(performance.now() - started);
      await waitFor(() => rig.registry && clients[0].kernel()?.status === 'idle', 10_000, 'the kernel to be idle');
    }
    latencies.sort((a, b) => a - b);

    const floodStart = performance.now();
    await rig.post(`/notebooks/${id}/execute`, token, { cellIds: [cellIds[1]] });
    await waitFor(() => clients.every((c) => outputText(c.doc, 1).endsWith('99999\n')), 120_000, 'every client to hold all 100,000 lines');
    const floodMs = performance.now() - floodStart;
    const outputs = outputsOf(cellsOf(clients[0].doc).get(1)).length;
    const docBytes = Y.encodeStateAsUpdate(clients[0].doc).length;

    console.log(
      `N=${String(n).padStart(2)}  trivial cell, execute → output in all clients: p50 ${pct(latencies, 50).toFixed(1)} ms  p90 ${pct(latencies, 90).toFixed(1)} ms  ` +
      `(${runs} runs)\n      100,000-line print → all lines in all clients: ${floodMs.toFixed(0)} ms, ${outputs} output(s), document ${(docBytes / 1024).toFixed(0)} KiB`,
    );
    for (const c of clients) c.close();
  }
} finally {
  await rig.close();
}
process.exit(0);

// Keystroke latency as readers see it: writers type into cell 0 of their
// notebooks on a clock, and every reader's replica notes when each character
// arrives (the latency is arrival minus the moment the writer typed it, on one
// clock: writers and readers live in the bench process). Shared by the collab
// benches that run real collab nodes (bench/cluster-fanout.ts, bench/collab-capacity.ts).
import type * as Y from 'yjs';
import { cellsOf } from '../notebook-model';
import type { ClusterClient } from '../collab-server/cluster-rig';
import { percentile } from './bench-kit';

/** One notebook being typed into: its writer, and its readers with the node each is on. */
export interface Typing { writer: ClusterClient; readers: { client: ClusterClient; node: number }[] }

/** How long the last keystrokes may take to arrive before the run is reported short. */
const drainDeadlineMs = 30_000;

/**
 * Types `count` keystrokes (one every `everyMs`) into each writer's cell 0 at
 * once; returns every delivery's latency (ms), ascending, by reader node.
 */
export async function typeAndMeasure(typings: Typing[], count: number, everyMs: number): Promise<Map<number, number[]>> {
  const byNode = new Map<number, number[]>();
  const expected = typings.reduce((n, t) => n + t.readers.length, 0) * count;
  let delivered = 0;
  const sentAt = typings.map(() => [] as number[]);
  const stops: (() => void)[] = [];
  for (const [k, { readers }] of typings.entries()) {
    for (const { client, node } of readers) {
      const text = cellsOf(client.doc).get(0).get('source') as Y.Text;
      const start = text.length;
      let seen = start;
      if (!byNode.has(node)) byNode.set(node, []);
      const latencies = byNode.get(node)!;
      const observer = () => {
        const now = performance.now();
        for (; seen < text.length; seen++) { latencies.push(now - sentAt[k][seen - start]); delivered++; }
      };
      text.observe(observer);
      stops.push(() => text.unobserve(observer));
    }
  }
  const texts = typings.map(({ writer }) => cellsOf(writer.doc).get(0).get('source') as Y.Text);
  for (let i = 0; i < count; i++) {
    for (const [k, text] of texts.entries()) {
      sentAt[k].push(performance.now());
      text.insert(text.length, 'x');
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const deadline = performance.now() + drainDeadlineMs;
  while (delivered < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const stop of stops) stop();
  if (delivered < expected) console.log(`  (only ${delivered}/${expected} deliveries arrived)`);
  for (const list of byNode.values()) list.sort((a, b) => a - b);
  return byNode;
}

/** `p50 … ms  p99 … ms  (n deliveries)` of ascending latencies. */
export function latencyFigures(sorted: number[]): string {
  return `p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  (${sorted.length} deliveries)`;
}

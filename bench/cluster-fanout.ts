// Keystroke fan-out across collab nodes: one writer on node 0 types into a cell;
// its readers are either all on node 0 (one node, as today) or split between
// node 0 and node 1 (the update crosses Redis pub/sub to reach node 1's). Real
// processes on the machine's PostgreSQL (a fresh schema) and Redis
// (collab-server/cluster-rig.ts). Then, capacity: notebooks with one writer and
// a few readers each are added on one node until the p99 keystroke latency
// passes 50 ms.
//
//   node --experimental-wasm-modules --import tsx bench/cluster-fanout.ts [keystrokes=300] [readers=20] [capacity steps=10,20,40,80]
//
// Target: cross-node p50 within 2 ms of single-node p50.
import type * as Y from 'yjs';
import { cellsOf } from '../notebook-model';
import { startCluster, type ClusterClient, type ClusterRig } from '../collab-server/cluster-rig';
import { cpuSeconds, percentile, rssMiB } from './bench-kit';

const keystrokes = Number(process.argv[2] ?? 300);
const readerCount = Number(process.argv[3] ?? 20);
const capacitySteps = (process.argv[4] ?? '10,20,40,80').split(',').map(Number).filter((n) => n > 0);
const intervalMs = 20;
const capacityIntervalMs = 100;
const targetMs = 2;

interface Typing { writer: ClusterClient; readers: { client: ClusterClient; node: number }[] }

/** Types `count` keystrokes (one every `everyMs`) into each writer's cell 0 at once; latencies per reader node. */
async function type(typings: Typing[], count: number, everyMs = intervalMs): Promise<Map<number, number[]>> {
  const byNode = new Map<number, number[]>();
  const expected = typings.reduce((n, t) => n + t.readers.length, 0) * count;
  let delivered = 0;
  const sentAt = typings.map(() => [] as number[]);
  for (const [k, { readers }] of typings.entries()) {
    for (const { client, node } of readers) {
      const text = cellsOf(client.doc).get(0).get('source') as Y.Text;
      const start = text.length;
      let seen = start;
      if (!byNode.has(node)) byNode.set(node, []);
      text.observe(() => {
        const now = performance.now();
        for (; seen < text.length; seen++) { byNode.get(node)!.push(now - sentAt[k][seen - start]); delivered++; }
      });
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
  const deadline = performance.now() + 30_000;
  while (delivered < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (delivered < expected) console.log(`  (only ${delivered}/${expected} deliveries arrived)`);
  for (const list of byNode.values()) list.sort((a, b) => a - b);
  return byNode;
}

async function scenario(cluster: ClusterRig, split: boolean, count = keystrokes): Promise<Map<number, number[]>> {
  const id = await cluster.newNotebook(['']);
  const writer = await cluster.connect(0, id, { name: 'writer' });
  const readers: Typing['readers'] = [];
  for (let i = 0; i < readerCount; i++) {
    const node = split ? i % 2 : 0;
    readers.push({ client: await cluster.connect(node, id, { name: `reader${i}`, role: 'viewer' }), node });
  }
  const latencies = await type([{ writer, readers }], count);
  writer.destroy();
  for (const { client } of readers) client.destroy();
  return latencies;
}

const figures = (sorted: number[]) => `p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  (${sorted.length} deliveries)`;

const cluster = await startCluster(2);
try {
  console.log(`1 writer on node 0 typing ${keystrokes} keystrokes every ${intervalMs} ms, ${readerCount} readers; PostgreSQL + Redis on this machine\n`);
  await scenario(cluster, true, 100); // warm-up (JIT, connection pools), not counted
  const single = (await scenario(cluster, false)).get(0)!;
  const split = await scenario(cluster, true);
  const sameNode = split.get(0)!;
  const crossNode = split.get(1)!;
  console.log(`all readers on node 0:          ${figures(single)}`);
  console.log(`split, readers on node 0:       ${figures(sameNode)}`);
  console.log(`split, readers on node 1:       ${figures(crossNode)}`);
  const gap = percentile(crossNode, 50) - percentile(single, 50);
  const sameRun = percentile(crossNode, 50) - percentile(sameNode, 50);
  console.log(`\ncross-node p50 - single-node p50 = ${gap.toFixed(2)} ms   target: within ${targetMs} ms   ${gap <= targetMs ? 'MET' : 'NOT MET'}`);
  console.log(`(within the split run: node 1 readers' p50 - node 0 readers' p50 = ${sameRun.toFixed(2)} ms, the cost of the Redis hop alone)`);

  if (capacitySteps.length) {
    console.log(`\ncapacity of node 0: notebooks each with 1 writer (a keystroke every ${capacityIntervalMs} ms, a fast typist) and 4 readers, all on node 0; target p99 < 50 ms`);
    const pid = cluster.nodes[0].process.pid!;
    const open: Typing[] = [];
    for (const notebooks of capacitySteps) {
      while (open.length < notebooks) {
        const id = await cluster.newNotebook(['']);
        const writer = await cluster.connect(0, id, { name: `w${open.length}` });
        const readers: Typing['readers'] = [];
        for (let i = 0; i < 4; i++) readers.push({ client: await cluster.connect(0, id, { name: `r${i}`, role: 'viewer' }), node: 0 });
        open.push({ writer, readers });
      }
      const cpuBefore = cpuSeconds(pid);
      const started = performance.now();
      const latencies = (await type(open, 100, capacityIntervalMs)).get(0)!;
      const cpu = (cpuSeconds(pid) - cpuBefore) / ((performance.now() - started) / 1000);
      const p99 = percentile(latencies, 99);
      console.log(`  ${String(notebooks).padStart(3)} notebooks, ${notebooks * 5} clients, ${Math.round(notebooks * 1000 / capacityIntervalMs)} keystrokes/s: ${figures(latencies)}  node CPU ${(cpu * 100).toFixed(0)}%  RSS ${rssMiB(pid).toFixed(0)} MiB  ${p99 < 50 ? 'under 50 ms' : 'OVER 50 ms'}`);
      if (p99 >= 50) break;
    }
    for (const { writer, readers } of open) { writer.destroy(); for (const { client } of readers) client.destroy(); }
  }
} finally {
  await cluster.close();
}
process.exit(0);

// Keystroke fan-out across collab nodes: one writer on node 0 types into a cell;
// its readers are either all on node 0 (one node, as today) or split between
// node 0 and node 1 (the update crosses Redis pub/sub to reach node 1's). Real
// processes on the machine's PostgreSQL (a fresh schema) and Redis
// (collab-server/cluster-rig.ts). What one node holds: bench/collab-capacity.ts.
//
//   node --experimental-wasm-modules --import tsx bench/cluster-fanout.ts [keystrokes=300] [readers=20]
//
// Target: cross-node p50 within 2 ms of single-node p50.
import { startCluster, type ClusterRig } from '../collab-server/cluster-rig';
import { percentile } from './bench-kit';
import { latencyFigures as figures, typeAndMeasure, type Typing } from './typing-latency';

const keystrokes = Number(process.argv[2] ?? 300);
const readerCount = Number(process.argv[3] ?? 20);
const intervalMs = 20;
const targetMs = 2;

async function scenario(cluster: ClusterRig, split: boolean, count = keystrokes): Promise<Map<number, number[]>> {
  const id = await cluster.newNotebook(['']);
  const writer = await cluster.connect(0, id, { name: 'writer' });
  const readers: Typing['readers'] = [];
  for (let i = 0; i < readerCount; i++) {
    const node = split ? i % 2 : 0;
    readers.push({ client: await cluster.connect(node, id, { name: `reader${i}`, role: 'viewer' }), node });
  }
  const latencies = await typeAndMeasure([{ writer, readers }], count, intervalMs);
  writer.destroy();
  for (const { client } of readers) client.destroy();
  return latencies;
}

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
} finally {
  await cluster.close();
}
process.exit(0);

// How many connected clients and active notebooks one collab node holds on this
// machine with keystroke p99 under 50 ms. The node is a real collab-server/main.ts
// process on the machine's PostgreSQL and Redis (one node of a cluster,
// collab-server/cluster-rig.ts); the clients are y-websocket clients in this
// process. Every notebook is active: one writer types a keystroke every 100 ms
// (a fast typist) and everyone else reads it, each moving their cursor once a
// second (presence, coalesced by the node every COLLAB_AWARENESS_THROTTLE_MS).
// Clients per notebook grow in steps until p99 passes 50 ms; the last step
// under it is the node's capacity here.
//
//   node --experimental-wasm-modules --import tsx bench/collab-capacity.ts [notebooks=10] [clients per notebook=2,5,10,20,30,40,60] [keystrokes=50] [all]
//
// With `all` it ramps through every step even past the target (to see how the
// node's CPU grows with clients when the machine, not the node, sets the latency).
// The bench's own clients share the machine's 2 cores with the node: its CPU is
// printed beside the node's, and a step the bench itself saturates says so.
import { startCluster, type ClusterClient } from '../collab-server/cluster-rig';
import { cpuSeconds, percentile, rssMiB } from './bench-kit';
import { latencyFigures, typeAndMeasure, type Typing } from './typing-latency';

const notebooks = Number(process.argv[2] ?? 10);
const steps = (process.argv[3] ?? '2,5,10,20,30,40,60').split(',').map(Number).filter((n) => n >= 2);
const keystrokes = Number(process.argv[4] ?? 50);
const keystrokeEveryMs = 100;
const cursorEveryMs = 1000;
const targetP99Ms = 50;
const everyStep = process.argv[5] === 'all';

interface Notebook { id: string; typing: Typing; cursors: NodeJS.Timeout[] }

/** Adds a reader whose cursor moves once a second, from a random phase. */
async function addReader(cluster: Awaited<ReturnType<typeof startCluster>>, notebook: Notebook, n: number): Promise<void> {
  const client = await cluster.connect(0, notebook.id, { name: `r${n}`, role: 'viewer' });
  notebook.typing.readers.push({ client, node: 0 });
  let at = 0;
  const move = () => client.provider.awareness.setLocalStateField('cursor', { cell: 0, at: at++ });
  const start = setTimeout(() => {
    move();
    notebook.cursors.push(setInterval(move, cursorEveryMs));
  }, Math.random() * cursorEveryMs);
  notebook.cursors.push(start);
}

const cluster = await startCluster(1);
const pid = cluster.nodes[0].process.pid!;
const open: Notebook[] = [];
let lastUnder: string | null = null;
try {
  console.log(`one collab node (PostgreSQL + Redis on this machine), ${notebooks} active notebooks: 1 writer each typing every ${keystrokeEveryMs} ms, `
    + `readers moving a cursor every ${cursorEveryMs} ms; ${keystrokes} keystrokes per notebook per step; target p99 < ${targetP99Ms} ms\n`);
  for (let i = 0; i < notebooks; i++) {
    const id = await cluster.newNotebook(['']);
    const writer: ClusterClient = await cluster.connect(0, id, { name: `w${i}` });
    open.push({ id, typing: { writer, readers: [] }, cursors: [] });
  }
  // Warm-up (JIT, connection pools), not counted.
  for (const notebook of open) await addReader(cluster, notebook, 0);
  await typeAndMeasure(open.map((nb) => nb.typing), 20, keystrokeEveryMs);
  for (const perNotebook of steps) {
    for (const notebook of open) {
      while (notebook.typing.readers.length + 1 < perNotebook) await addReader(cluster, notebook, notebook.typing.readers.length);
    }
    const clients = open.reduce((n, nb) => n + nb.typing.readers.length + 1, 0);
    const nodeCpu = cpuSeconds(pid);
    const benchCpu = process.cpuUsage();
    const started = performance.now();
    const latencies = (await typeAndMeasure(open.map((nb) => nb.typing), keystrokes, keystrokeEveryMs)).get(0)!;
    const seconds = (performance.now() - started) / 1000;
    const nodeShare = (cpuSeconds(pid) - nodeCpu) / seconds;
    const benchUsed = process.cpuUsage(benchCpu);
    const benchShare = (benchUsed.user + benchUsed.system) / 1e6 / seconds;
    const p99 = percentile(latencies, 99);
    const line = `${String(notebooks).padStart(3)} notebooks × ${String(perNotebook).padStart(2)} = ${String(clients).padStart(4)} clients: ${latencyFigures(latencies)}`
      + `  node CPU ${(nodeShare * 100).toFixed(0)}%  RSS ${rssMiB(pid).toFixed(0)} MiB  bench CPU ${(benchShare * 100).toFixed(0)}%`;
    console.log(`  ${line}  ${p99 < targetP99Ms ? 'under' : 'OVER'} ${targetP99Ms} ms${benchShare > 0.9 ? '  (the bench process itself was saturated)' : ''}`);
    if (p99 < targetP99Ms) lastUnder = line;
    else if (!everyStep) break;
  }
  console.log(`\nlast step under ${targetP99Ms} ms p99: ${lastUnder ?? 'none (the first step was already over)'}`);
} finally {
  for (const notebook of open) {
    for (const timer of notebook.cursors) { clearTimeout(timer); clearInterval(timer); }
    notebook.typing.writer.destroy();
    for (const { client } of notebook.typing.readers) client.destroy();
  }
  await cluster.close();
}
process.exit(0);

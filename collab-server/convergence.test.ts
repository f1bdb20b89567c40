// A property test of the whole path (clients, server, storage): several clients
// make random notebook edits (typing, deleting text, adding, deleting, moving,
// splitting, merging cells) while dropping off and reconnecting at random. At
// the end every replica and the stored document are equal, and no cell id
// appears twice. The seed is printed on failure so a run can be replayed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type * as Y from 'yjs';
import { cellsOf, cellIdOf, deleteCell, docToNotebook, insertCell, mergeCellWithNext, moveCell, splitCell } from '../notebook-model';
import { startRig, waitFor, type Client, type Rig } from './test-rig';

let rig: Rig | undefined;
after(async () => { await rig?.close(); });

/** Small deterministic PRNG (mulberry32), so a failing seed replays exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomEdit(doc: Y.Doc, rand: () => number, name: string): void {
  const cells = cellsOf(doc);
  const pick = () => cells.get(Math.floor(rand() * cells.length));
  const roll = rand();
  if (!cells.length || roll < 0.1) {
    insertCell(doc, Math.floor(rand() * (cells.length + 1)), { cell_type: rand() < 0.7 ? 'code' : 'markdown', source: `${name}:` });
  } else if (roll < 0.55) {
    const text = pick().get('source') as Y.Text;
    text.insert(Math.floor(rand() * (text.length + 1)), name[0].repeat(1 + Math.floor(rand() * 3)));
  } else if (roll < 0.7) {
    const text = pick().get('source') as Y.Text;
    if (text.length) {
      const at = Math.floor(rand() * text.length);
      text.delete(at, Math.min(text.length - at, 1 + Math.floor(rand() * 3)));
    }
  } else if (roll < 0.78) {
    if (cells.length > 1) deleteCell(doc, cellIdOf(pick()));
  } else if (roll < 0.88) {
    moveCell(doc, cellIdOf(pick()), Math.floor(rand() * cells.length));
  } else if (roll < 0.94) {
    const cell = pick();
    splitCell(doc, cellIdOf(cell), Math.floor(rand() * ((cell.get('source') as Y.Text).length + 1)));
  } else if (cells.length > 1) {
    mergeCellWithNext(doc, cellIdOf(cells.get(Math.floor(rand() * (cells.length - 1)))));
  }
}

test('random concurrent edits with random disconnects converge everywhere, without duplicate cells', { timeout: 120_000 }, async () => {
  const seed = Number(process.env.CONVERGENCE_SEED ?? Date.now() % 1_000_000);
  const rand = random(seed);
  rig = await startRig();
  const id = await rig.newNotebook(['first', 'second', 'third']);
  const names = ['ada', 'bob', 'cyd', 'dee', 'eve', 'fay'];
  const clients: Client[] = [];
  for (const name of names) clients.push(await rig.connect(id, { name }));

  try {
    for (let round = 0; round < 60; round++) {
      for (const [i, client] of clients.entries()) {
        const online = client.provider.wsconnected || client.provider.wsconnecting;
        if (rand() < 0.08) {
          if (online) client.provider.disconnect();
          else client.provider.connect();
        }
        for (let n = Math.floor(rand() * 4); n > 0; n--) randomEdit(client.doc, rand, names[i]);
      }
      // Let the network move a little between rounds, without waiting for quiet.
      await new Promise((r) => setTimeout(r, Math.floor(rand() * 15)));
    }
    for (const client of clients) client.provider.connect();

    const snapshot = (doc: Y.Doc) => JSON.stringify(docToNotebook(doc).cells.map((c) => [c.id, c.cell_type, c.source]));
    const converged = await waitFor(() => {
      const first = snapshot(clients[0].doc);
      return clients.every((c) => c.provider.synced && snapshot(c.doc) === first) ? first : undefined;
    }, `all replicas to converge (seed ${seed})`, 30_000);
    await waitFor(async () => snapshot(await rig!.stored(id)) === converged, `the stored document to match (seed ${seed})`, 10_000);

    const ids = cellsOf(clients[0].doc).toArray().map(cellIdOf);
    assert.equal(new Set(ids).size, ids.length, `duplicate cell ids after convergence (seed ${seed}): ${ids}`);
  } finally {
    for (const client of clients) client.destroy();
  }
});

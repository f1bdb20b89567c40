// A property test of the whole path (clients, server, storage): several clients
// make random notebook edits (typing, deleting text, adding, deleting, moving,
// splitting, merging cells) while dropping off and reconnecting at random. At
// the end every replica and the stored document are equal, and no cell id
// appears twice. The seed is printed on failure so a run can be replayed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cellsOf, cellIdOf } from '../notebook-model';
import { random, randomEdit } from './random-edits';
import { startRig, waitForAgreement, type Client, type Rig } from './test-rig';

let rig: Rig | undefined;
after(async () => { await rig?.close(); });

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

    await waitForAgreement(clients, () => rig!.stored(id), `all replicas and the stored document to converge (seed ${seed})`, 30_000);

    const ids = cellsOf(clients[0].doc).toArray().map(cellIdOf);
    assert.equal(new Set(ids).size, ids.length, `duplicate cell ids after convergence (seed ${seed}): ${ids}`);
  } finally {
    for (const client of clients) client.destroy();
  }
});

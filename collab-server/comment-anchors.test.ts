// Comment anchors through the whole path (clients, server, storage), as a
// property test: several clients type and delete around an anchored phrase at
// random, dropping off and reconnecting, and at the end every replica and the
// stored document resolve the anchor to the same range, holding the phrase.
// Then the phrase is deleted while others keep typing: every replica says the
// thread's text is gone, and the thread itself is still there to read. The seed
// is printed on failure so a run can be replayed (COMMENT_ANCHOR_SEED).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { CellKey, cellsOf } from '../notebook-model';
import { resolveAnchor, sourceAnchor } from '../notebook-model/comment-anchors';
import { readThreads, startThread, type CommentAnchor } from '../notebook-model/comments';
import { random } from './random-edits';
import { startRig, waitFor, type Client, type Rig } from './test-rig';

let rig: Rig | undefined;
after(async () => { await rig?.close(); });

const phrase = 'TARGET';

/** One random edit of cell 0's source that stays outside the anchored range (as this replica sees it). */
function editAround(doc: Y.Doc, anchor: CommentAnchor, rand: () => number, letter: string): void {
  const text = cellsOf(doc).get(0).get(CellKey.source) as Y.Text;
  const where = resolveAnchor(doc, anchor);
  if (where.state !== 'live' || where.kind !== 'source') throw new Error(`the anchor is ${where.state} before anyone deleted it`);
  const before = rand() < 0.5;
  if (rand() < 0.7) {
    const at = before ? Math.floor(rand() * (where.from + 1)) : where.to + Math.floor(rand() * (text.length - where.to + 1));
    text.insert(at, letter.repeat(1 + Math.floor(rand() * 3)));
  } else if (before && where.from > 0) {
    const at = Math.floor(rand() * where.from);
    text.delete(at, Math.min(where.from - at, 1 + Math.floor(rand() * 3)));
  } else if (!before && text.length > where.to) {
    const at = where.to + Math.floor(rand() * (text.length - where.to));
    text.delete(at, Math.min(text.length - at, 1 + Math.floor(rand() * 3)));
  }
}

/** The anchored range's text in `doc`, or `gone`. */
function anchoredText(doc: Y.Doc, anchor: CommentAnchor): string {
  const where = resolveAnchor(doc, anchor);
  if (where.state === 'gone' || where.kind !== 'source') return where.state;
  return (cellsOf(doc).get(where.cellIndex).get(CellKey.source) as Y.Text).toString().slice(where.from, where.to);
}

test('an anchor follows its text through random concurrent edits around it, and says so when the text is deleted', { timeout: 120_000 }, async () => {
  const seed = Number(process.env.COMMENT_ANCHOR_SEED ?? Date.now() % 1_000_000);
  const rand = random(seed);
  rig = await startRig();
  const id = await rig.newNotebook([`x = 1  # ${phrase} here\nprint(x)`, 'other = 2']);
  const names = ['ada', 'bob', 'cyd', 'dee', 'eve'];
  const clients: Client[] = [];
  for (const name of names) clients.push(await rig.connect(id, { name }));

  const cell = cellsOf(clients[0].doc).get(0);
  const start = (cell.get(CellKey.source) as Y.Text).toString().indexOf(phrase);
  const anchor = sourceAnchor(cell, start, start + phrase.length);
  const threadId = startThread(clients[0].doc, { anchor, author: { userId: 'user-ada', name: 'ada' }, body: 'What is this?' });
  await waitFor(() => clients.every((c) => readThreads(c.doc).length === 1), 'everyone to see the thread');

  const converge = async (expected: string, what: string) => {
    const text = (doc: Y.Doc) => (cellsOf(doc).get(0).get(CellKey.source) as Y.Text).toString();
    await waitFor(() => clients.every((c) => c.provider.synced && text(c.doc) === text(clients[0].doc)), `${what}: replicas to converge (seed ${seed})`, 30_000);
    for (const [i, client] of clients.entries()) assert.equal(anchoredText(client.doc, anchor), expected, `${names[i]}'s anchor (seed ${seed}) in ${JSON.stringify(text(client.doc))}`);
    await waitFor(async () => text(await rig!.stored(id)) === text(clients[0].doc), `${what}: the stored document to match (seed ${seed})`, 10_000);
    assert.equal(anchoredText(await rig!.stored(id), anchor), expected, `the stored anchor (seed ${seed})`);
  };

  for (let round = 0; round < 40; round++) {
    for (const [i, client] of clients.entries()) {
      if (rand() < 0.08) {
        if (client.provider.wsconnected || client.provider.wsconnecting) client.provider.disconnect();
        else client.provider.connect();
      }
      for (let n = Math.floor(rand() * 4); n > 0; n--) editAround(client.doc, anchor, rand, names[i][0]);
    }
    await new Promise((r) => setTimeout(r, Math.floor(rand() * 15)));
  }
  for (const client of clients) client.provider.connect();
  await converge(phrase, 'after edits around the anchor');
  const around = (cellsOf(clients[0].doc).get(0).get(CellKey.source) as Y.Text).toString();
  assert.notEqual(around, `x = 1  # ${phrase} here\nprint(x)`, `the random edits changed the text (seed ${seed})`);

  // Bob deletes the phrase (with a character either side) while the others keep typing around it.
  const bobText = cellsOf(clients[1].doc).get(0).get(CellKey.source) as Y.Text;
  const where = resolveAnchor(clients[1].doc, anchor);
  assert.ok(where.state === 'live' && where.kind === 'source');
  bobText.delete(Math.max(0, where.from - 1), Math.min(bobText.length, where.to + 1) - Math.max(0, where.from - 1));
  for (const [i, client] of clients.entries()) if (i !== 1) editAround(client.doc, anchor, rand, names[i][0]);
  await converge('gone', 'after the phrase was deleted');
  for (const client of clients) {
    const [thread] = readThreads(client.doc);
    assert.equal(thread.id, threadId);
    assert.equal(thread.anchor.quote, phrase, 'the thread still shows what it was about');
    assert.equal(thread.comments[0].body, 'What is this?');
  }
});

// Comment threads in a document, without a server: anchors through moves and
// deletions, mentions read from a body, and what a transaction newly mentions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { cellsOf, CellKey, insertCell, moveCell, deleteCell, docToNotebook } from './index';
import { cellAnchor, resolveAnchor, sourceAnchor } from './comment-anchors';
import { addedMentions } from './comment-check';
import { copyThreads, mentionsIn, readThreads, replyToThread, startThread, toggleReaction } from './comments';
import { defineRoots } from './schema-check';

function notebook(...sources: string[]): Y.Doc {
  const doc = new Y.Doc();
  defineRoots(doc);
  sources.forEach((source, i) => insertCell(doc, i, { cell_type: 'code', source, id: `c${i}` }));
  return doc;
}

const sourceText = (doc: Y.Doc, i: number) => cellsOf(doc).get(i).get(CellKey.source) as Y.Text;

test('a source anchor keeps its text through typing on both sides, and grows with typing inside', () => {
  const doc = notebook('a = 1\nb = 2\nc = 3');
  const anchor = sourceAnchor(cellsOf(doc).get(0), 6, 11);
  assert.equal(anchor.quote, 'b = 2');
  sourceText(doc, 0).insert(6, '# before\n');
  sourceText(doc, 0).insert(20, '  # after');
  let where = resolveAnchor(doc, anchor);
  assert.ok(where.state === 'live' && where.kind === 'source');
  assert.equal(sourceText(doc, 0).toString().slice(where.from, where.to), 'b = 2');
  sourceText(doc, 0).insert(where.from + 1, ' ');
  where = resolveAnchor(doc, anchor);
  assert.ok(where.state === 'live' && where.kind === 'source');
  assert.equal(sourceText(doc, 0).toString().slice(where.from, where.to), 'b  = 2');
});

test('deleting the anchored text, or its cell, makes the anchor gone; a moved cell finds its text by the quote', () => {
  const doc = notebook('keep\nquestion here\nrest', 'other');
  const anchor = sourceAnchor(cellsOf(doc).get(0), 5, 18);
  moveCell(doc, 'c0', 1);
  const moved = resolveAnchor(doc, anchor);
  assert.ok(moved.state === 'live' && moved.kind === 'source' && moved.cellIndex === 1);
  assert.equal(sourceText(doc, 1).toString().slice(moved.from, moved.to), 'question here');

  const fresh = sourceAnchor(cellsOf(doc).get(1), 5, 18);
  sourceText(doc, 1).delete(5, 13);
  assert.deepEqual(resolveAnchor(doc, fresh), { state: 'gone', cellIndex: 1 });
  const whole = cellAnchor(cellsOf(doc).get(1));
  deleteCell(doc, 'c0');
  assert.deepEqual(resolveAnchor(doc, whole), { state: 'gone', cellIndex: null });
});

test('threads never reach the notebook as nbformat', () => {
  const doc = notebook('x = 1');
  startThread(doc, { anchor: cellAnchor(cellsOf(doc).get(0)), author: { userId: 'u1', name: 'Ada' }, body: 'hello' });
  const exported = JSON.stringify(docToNotebook(doc));
  assert.ok(!exported.includes('hello'));
  assert.equal(readThreads(doc).length, 1);
});

test('mentions are read from @Name of known people, longest name first, not from e-mail addresses', () => {
  const people = [{ userId: 'u-ada', name: 'Ada' }, { userId: 'u-al', name: 'Ada Lovelace' }, { userId: 'u-bob', name: 'Bob' }];
  assert.deepEqual(mentionsIn('@Ada Lovelace and @Bob, see bob@Bob.org and @Ada', people), ['u-al', 'u-bob', 'u-ada']);
  assert.deepEqual(mentionsIn('@Adam is nobody; @Bobby neither', people), []);
});

test('a transaction\'s added mentions: the new comment\'s, not the author\'s own, not earlier ones', () => {
  const doc = notebook('x = 1');
  const captured: ReturnType<typeof addedMentions>[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => captured.push(addedMentions(doc, transaction)));
  const threadId = startThread(doc, { anchor: cellAnchor(cellsOf(doc).get(0)), author: { userId: 'u-ada', name: 'Ada' }, body: '@Bob look', mentions: ['u-bob', 'u-ada'] });
  replyToThread(doc, threadId, { userId: 'u-bob', name: 'Bob' }, '@Cyd too', undefined, ['u-cyd']);
  const [first, second] = captured.slice(-2);
  assert.deepEqual(first.map((m) => [m.userId, m.byName, m.threadId]), [['u-bob', 'Ada', threadId]]);
  assert.deepEqual(second.map((m) => [m.userId, m.byName]), [['u-cyd', 'Bob']]);
});

test('copying threads into another document keeps every comment, its reactions and its resolved state', () => {
  const from = notebook('x = 1');
  const ada = { userId: 'u-ada', name: 'Ada' };
  const threadId = startThread(from, { anchor: cellAnchor(cellsOf(from).get(0)), author: ada, body: 'why?' });
  const replyId = replyToThread(from, threadId, { userId: 'u-bob', name: 'Bob' }, 'because');
  toggleReaction(from, threadId, replyId, '👍', 'u-ada');
  const into = notebook('x = 1');
  assert.equal(copyThreads(from, into), 1);
  assert.deepEqual(readThreads(into), readThreads(from));
  assert.deepEqual(readThreads(into)[0].comments[1].reactions['👍'], ['u-ada']);
});

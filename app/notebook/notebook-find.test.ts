// Find and replace across a notebook, with collaborators' edits merged in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { cellsOf, insertCell, sourceOf } from '../../notebook-model';
import { findMatches, occurrences, replaceAll, replaceMatch, type FindQuery } from './notebook-find';

const query = (text: string, more: Partial<FindQuery> = {}): FindQuery => ({ text, caseSensitive: false, inOutputs: false, ...more });

function notebook(...sources: string[]): Y.Doc {
  const doc = new Y.Doc();
  sources.forEach((source, i) => insertCell(doc, i, { cell_type: 'code', source }));
  return doc;
}

const sources = (doc: Y.Doc) => cellsOf(doc).map((c) => sourceOf(c).toString());

test('occurrences do not overlap and follow the case option', () => {
  assert.deepEqual(occurrences('aaaa', query('aa')), [0, 2]);
  assert.deepEqual(occurrences('Foo foo', query('foo')), [0, 4]);
  assert.deepEqual(occurrences('Foo foo', query('foo', { caseSensitive: true })), [4]);
  assert.deepEqual(occurrences('x', query('')), []);
});

test('matches in sources, and in outputs only when asked', () => {
  const doc = new Y.Doc();
  insertCell(doc, 0, { cell_type: 'code', source: 'print("total")', outputs: [{ output_type: 'stream', name: 'stdout', text: 'total 3\n' }] });
  insertCell(doc, 1, { cell_type: 'markdown', source: '# Total' });
  assert.deepEqual(findMatches(doc, query('total')).map((m) => m.part), ['source', 'source']);
  assert.deepEqual(findMatches(doc, query('total', { inOutputs: true })).map((m) => m.part), ['source', 'output', 'source']);
});

test('replace one match, refused when its text changed meanwhile', () => {
  const doc = notebook('a = foo', 'foo(foo)');
  const [first, second] = findMatches(doc, query('foo'));
  assert.ok(replaceMatch(doc, first, query('foo'), 'bar', 'me'));
  sourceOf(cellsOf(doc).get(1)).delete(0, 1);
  assert.equal(replaceMatch(doc, second, query('foo'), 'bar', 'me'), false);
  assert.deepEqual(sources(doc), ['a = bar', 'oo(foo)']);
  assert.equal(replaceMatch(doc, { ...first, part: 'output' }, query('bar'), 'x', 'me'), false, 'outputs are read only');
});

test('replace all keeps what a collaborator typed in the same cell at the same time', () => {
  const ada = notebook('foo = 1\nprint(foo)\n');
  const bob = new Y.Doc();
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(ada));
  // Concurrent: Ada replaces everything while Bob (not yet synced) types at the end and in the middle.
  assert.equal(replaceAll(ada, query('foo'), 'total', 'ada'), 2);
  const bobText = sourceOf(cellsOf(bob).get(0));
  bobText.insert(bobText.length, 'foo_copy = 2\n');
  bobText.insert(8, '# note\n');
  Y.applyUpdate(ada, Y.encodeStateAsUpdate(bob));
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(ada));
  assert.deepEqual(sources(ada), sources(bob));
  assert.equal(sources(ada)[0], 'total = 1\n# note\nprint(total)\nfoo_copy = 2\n');
});

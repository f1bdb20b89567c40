// Long streams are drawn as stable chunks, the tail by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamView } from './stream-chunks';

const joined = (view: ReturnType<typeof streamView>) => view.chunks.map((c) => c.text).join('');
const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `line ${from + i}\n`).join('');

test('short text is one chunk, drawn whole', () => {
  assert.deepEqual(streamView('a\nb\n'), { chunks: [{ start: 0, text: 'a\nb\n' }], hiddenChars: 0 });
  assert.deepEqual(streamView(''), { chunks: [], hiddenChars: 0 });
});

test('chunks cover the text exactly, each starting on a new line', () => {
  const text = lines(5000);
  const view = streamView(text, { tailChars: Infinity, chunkChars: 1000 });
  assert.equal(joined(view), text);
  assert.equal(view.hiddenChars, 0);
  for (const chunk of view.chunks) {
    assert.equal(text.slice(chunk.start, chunk.start + chunk.text.length), chunk.text);
    assert.ok(chunk.start === 0 || text[chunk.start - 1] === '\n');
  }
  assert.ok(view.chunks.length > 40);
});

test('appending keeps every earlier chunk identical (so its rendering is reused)', () => {
  let text = lines(2000);
  const before = streamView(text, { tailChars: Infinity, chunkChars: 1000 });
  text += lines(10, 2000) + 'partial';
  const after = streamView(text, { tailChars: Infinity, chunkChars: 1000 });
  const stable = before.chunks.slice(0, -1);
  assert.deepEqual(after.chunks.slice(0, stable.length), stable);
  assert.ok(after.chunks.at(-1)!.text.endsWith('partial'));
});

test('100,000 lines draw only the tail, ending with the last line', () => {
  const text = lines(100_000);
  const view = streamView(text, { tailChars: 8000, chunkChars: 1000 });
  const shown = joined(view);
  assert.ok(shown.length <= 8000 && shown.length > 6000, String(shown.length));
  assert.ok(shown.startsWith('line '));
  assert.ok(shown.endsWith('line 99999\n'));
  assert.equal(view.hiddenChars + shown.length, text.length);
});

test('a single enormous line is cut rather than drawn whole', () => {
  const view = streamView('x'.repeat(50_000), { tailChars: 1000, chunkChars: 100 });
  assert.equal(joined(view).length, 1000);
  assert.equal(view.hiddenChars, 49_000);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { NotebookFormatError, parseNotebook } from './index';

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const notebookWithMetadata = (value: string) => `{"nbformat":4,"nbformat_minor":5,"metadata":{"deep":${value}},"cells":[]}`;

test('depth counts objects and arrays, without recursion', () => {
  assert.equal(nestsDeeperThan(1, 0), false);
  assert.equal(nestsDeeperThan({}, 0), true);
  assert.equal(nestsDeeperThan([[{ a: [] }]], 3), true);
  assert.equal(nestsDeeperThan([[{ a: [] }]], 4), false);
  assert.equal(nestsDeeperThan(JSON.parse(nested(200_000)), MAX_JSON_DEPTH), true);
});

test('a notebook nested 20,000 levels deep is refused when read, naming the limit', () => {
  assert.throws(() => parseNotebook(notebookWithMetadata(nested(20_000))), (err: unknown) =>
    err instanceof NotebookFormatError && err.problems.some((p) => p.includes(`nested more than ${MAX_JSON_DEPTH} levels deep`)));
});

test('metadata nested as deep as the limit allows is read', () => {
  // The notebook object and its metadata take two levels.
  const notebook = parseNotebook(notebookWithMetadata(nested(MAX_JSON_DEPTH - 2)));
  assert.equal(typeof notebook.metadata.deep, 'object');
});

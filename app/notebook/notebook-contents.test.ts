// The table of contents: headings outside code fences, and the section a cell is in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { insertCell } from '../../notebook-model';
import { headingsInMarkdown, headingsOf, sectionOf } from './notebook-contents';

test('ATX headings, not the ones inside fenced code, without their markdown', () => {
  assert.deepEqual(headingsInMarkdown('# Title\ntext\n```\n# a comment\n```\n## *Data* `loading` ##\n#nospace'), [
    { level: 1, text: 'Title' },
    { level: 2, text: 'Data loading' },
  ]);
});

test('a cell belongs to the last heading at or before it', () => {
  const doc = new Y.Doc();
  insertCell(doc, 0, { cell_type: 'code', source: 'x = 1' });
  insertCell(doc, 1, { cell_type: 'markdown', source: '# One' });
  insertCell(doc, 2, { cell_type: 'code', source: '# not a heading' });
  insertCell(doc, 3, { cell_type: 'markdown', source: '## Two\n### Three' });
  insertCell(doc, 4, { cell_type: 'code', source: '' });
  const headings = headingsOf(doc);
  assert.deepEqual(headings.map((h) => [h.text, h.cellIndex]), [['One', 1], ['Two', 3], ['Three', 3]]);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => sectionOf(headings, i)), [-1, 0, 0, 2, 2]);
});

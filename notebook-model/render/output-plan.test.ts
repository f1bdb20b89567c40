// The plan every renderer draws an output from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OutputJSON } from '../nbformat/types';
import { mimeKind, outputPlan } from './output-plan';

const plan = (output: unknown) => outputPlan(output as OutputJSON);

test('a bundle shows its best representation; a widget its notice and the next one', () => {
  assert.deepEqual(plan({ output_type: 'display_data', metadata: {}, data: { 'text/plain': 'p', 'image/png': 'AA' } }),
    { kind: 'bundle', outputType: 'display_data', mime: 'image/png', widget: false, part: { mime: 'image/png', kind: 'image', value: 'AA', metadata: {} } });
  const widget = plan({ output_type: 'display_data', data: { 'application/vnd.jupyter.widget-view+json': {}, 'text/plain': 'Slider' } });
  assert.equal(widget.kind === 'bundle' && widget.widget && widget.part?.mime, 'text/plain');
  const bare = plan({ output_type: 'display_data', data: { 'application/vnd.jupyter.widget-view+json': {} } });
  assert.equal(bare.kind === 'bundle' && bare.widget && bare.part, undefined);
});

test('streams, errors and what cannot be drawn', () => {
  assert.deepEqual(plan({ output_type: 'stream', name: 'other', text: ['a', 'b'] }), { kind: 'stream', name: 'stdout', text: 'ab' });
  assert.deepEqual(plan({ output_type: 'error', ename: 'E', evalue: 'v', traceback: [] }), { kind: 'error', ename: 'E', text: 'E: v' });
  assert.deepEqual(plan({ output_type: 'display_data', data: { 'application/x-what': 1 } }),
    { kind: 'notice', outputType: 'display_data', className: 'output-unrenderable', message: 'Cellmate cannot display output of type application/x-what.' });
  assert.equal(plan({ output_type: 'strange' }).kind, 'notice');
  assert.deepEqual(['text/html', 'image/svg+xml', 'image/webp', 'text/markdown', 'text/latex', 'application/json', 'text/plain'].map(mimeKind),
    ['html', 'svg', 'image', 'markdown', 'latex', 'json', 'text']);
});

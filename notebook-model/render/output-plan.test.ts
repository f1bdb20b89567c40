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

test('a result is labelled Out[n] as Jupyter labels it; displays and results never run are not', () => {
  const result = (count: unknown) => plan({ output_type: 'execute_result', execution_count: count, metadata: {}, data: { 'text/plain': '2' } });
  assert.equal((result(7) as { prompt?: string }).prompt, 'Out[7]:');
  for (const count of [null, undefined, '7', 1.5]) assert.equal((result(count) as { prompt?: string }).prompt, undefined, String(count));
  assert.equal((plan({ output_type: 'display_data', execution_count: 3, metadata: {}, data: { 'text/plain': 'x' } }) as { prompt?: string }).prompt, undefined);
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

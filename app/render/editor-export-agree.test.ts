// One renderer everywhere: for the same outputs, the live editor (OutputView)
// and the HTML export (and so published pages, which draw the export's static
// HTML) choose the same representation and draw the same text, colours,
// images, markdown and math.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { notebookToHtml } from '../../notebook-model/nbformat/html-export';
import type { NotebookJSON, OutputJSON } from '../../notebook-model/nbformat/types';
import { staticOutputHtml } from '../../notebook-model/render/output-html';
import { OutputView } from './OutputView';

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const outputs = [
  { output_type: 'stream', name: 'stdout', text: ['plain \x1b[1;32mgreen bold\x1b[0m <tag> & more\n', 'second line\n'] },
  { output_type: 'stream', name: 'stderr', text: 'warning: \x1b[38;5;208morange\x1b[0m\n' },
  { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['\x1b[0;31mValueError\x1b[0m: bad <x>'] },
  { output_type: 'execute_result', execution_count: 3, metadata: {}, data: { 'text/plain': "{'a': 1}" } },
  { output_type: 'display_data', metadata: {}, data: { 'image/png': png, 'text/plain': '<Figure>' } },
  { output_type: 'display_data', metadata: {}, data: { 'image/gif': 'R0lGODlhAQABAAAAACw=', 'text/plain': 'gif' } },
  { output_type: 'display_data', metadata: {}, data: { 'image/webp': 'UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'text/plain': 'webp' } },
  { output_type: 'display_data', metadata: {}, data: { 'text/markdown': '## Result\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n$x^2$', 'text/plain': 'md' } },
  { output_type: 'display_data', metadata: {}, data: { 'text/latex': '$$\\frac{a}{b}$$', 'text/plain': 'latex' } },
  { output_type: 'display_data', metadata: {}, data: { 'application/vnd.jupyter.widget-view+json': { model_id: 'm' }, 'text/plain': 'IntSlider(value=3)' } },
  { output_type: 'display_data', metadata: {}, data: { 'application/x-unknown': 'x' } },
] as unknown as OutputJSON[];

const attribute = (html: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(html)?.[1];
/** What a reader sees: text (tags dropped), ANSI classes and inline colours in order, image sources. */
function seen(html: string) {
  const body = html.replace(/<iframe[\s\S]*?<\/iframe>/g, '');
  return {
    text: body.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim(),
    ansi: body.match(/class="ansi-[^"]+"|style="color:[^"]+"/g) ?? [],
    images: body.match(/<img[^>]*src="[^"]*"/g)?.map((img) => attribute(img, 'src')) ?? [],
    katex: (body.match(/class="katex(-display)?"/g) ?? []).length,
  };
}

test('the editor and the export draw the same outputs the same way', () => {
  const page = notebookToHtml({
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [{ id: 'c', cell_type: 'code', metadata: {}, source: '', execution_count: 3, outputs }],
  } as NotebookJSON, { title: 't' });
  for (const output of outputs) {
    const editor = renderToStaticMarkup(createElement(OutputView, { output }));
    const exported = staticOutputHtml(output);
    assert.ok(page.includes(exported), `the export page carries ${output.output_type}`);
    assert.equal(attribute(exported, 'data-output-type'), attribute(editor, 'data-output-type'));
    assert.equal(attribute(exported, 'data-mime'), attribute(editor, 'data-mime'), JSON.stringify(output));
    assert.deepEqual(seen(exported), seen(editor), JSON.stringify(output));
  }
  const result = renderToStaticMarkup(createElement(OutputView, { output: outputs[3] }));
  assert.match(result, /data-testid="out-prompt">Out\[3\]:</, 'a result carries its Out[n] prompt');
  assert.match(staticOutputHtml(outputs[3]), /data-testid="out-prompt">Out\[3\]:</);
});

test('kernel HTML: the editor frames it, static views sanitize the same markup into the page', () => {
  const output = { output_type: 'display_data', metadata: {}, data: { 'text/html': '<table><tr><td>last row</td></tr></table><script>x()</script>', 'text/plain': 't' } } as unknown as OutputJSON;
  const editor = renderToStaticMarkup(createElement(OutputView, { output }));
  const exported = staticOutputHtml(output);
  assert.equal(attribute(editor, 'data-mime'), 'text/html');
  assert.equal(attribute(exported, 'data-mime'), 'text/html');
  assert.match(editor, /<iframe[^>]*sandbox="allow-scripts"/);
  assert.match(exported, /<td>last row<\/td>/);
  assert.doesNotMatch(exported, /script/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notebookToHtml, parseNotebook, type NotebookJSON } from './index';
import { readNotebookFiles } from './test-corpus';


const nb: NotebookJSON = {
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: [
    { id: 'm', cell_type: 'markdown', metadata: {}, source: '# Title <script>alert(1)</script>\n\nEuler: $e^{i\\pi}+1=0$\n\n![x](attachment:dot.png)',
      attachments: { 'dot.png': { 'image/png': 'iVBORw0KGgo=' } } },
    { id: 'c', cell_type: 'code', metadata: {}, source: 'show()', execution_count: 7, outputs: [
      { output_type: 'display_data', metadata: {}, data: { 'text/html': '<b>bold</b><script>parent.document.title="owned"</script>', 'text/plain': 'fallback' } },
      { output_type: 'display_data', metadata: {}, data: { 'image/png': 'iVBORw0KGgoAAAANSUhEUg==\n', 'text/plain': '<Figure>' } },
      { output_type: 'execute_result', execution_count: 7, metadata: {}, data: { 'text/plain': '42' } },
      { output_type: 'stream', name: 'stderr', text: '\x1b[31mred <warning>\x1b[0m\n' },
      { output_type: 'error', ename: 'ValueError', evalue: 'x', traceback: ['\x1b[0;31mValueError\x1b[0m: <x>'] },
    ] },
  ],
};

test('HTML export: output HTML sanitized into the page, data: images, no page scripts, escaped text', () => {
  const html = notebookToHtml(nb, { title: 'My <notebook>' });
  assert.match(html, /<div class="output-html" data-testid="output-html"><b>bold<\/b><\/div>/);
  assert.doesNotMatch(html, /<iframe/);
  assert.match(html, /<img class="output-image" src="data:image\/png;base64,iVBORw0KGgoAAAANSUhEUg==" alt="">/);
  assert.match(html, /<img src="data:image\/png;base64,iVBORw0KGgo=" alt="x" \/>/, 'attachment resolved');
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /owned/);
  assert.match(html, /<h1 id="[^"]*">Title <a class="anchor-link"/);
  assert.match(html, /<title>My &lt;notebook&gt;<\/title>/);
  assert.match(html, /class="katex"/);
  assert.match(html, /In \[7\]:/);
  assert.match(html, /Out\[7\]:/);
  assert.match(html, /red &lt;warning&gt;/);
  assert.match(html, /<span class="ansi-red-fg">/);
  assert.match(html, /\.ansi-red-fg \{ color: #e75c58; \}/, 'the palette comes with the page');
  assert.doesNotMatch(html, /\x1b/);
  assert.doesNotMatch(html, /(src|href)="https?:|url\((?!data:)/);
});

test('HTML export renders every corpus notebook without page scripts or remote resources', () => {
  for (const { name, text } of readNotebookFiles('corpus')) {
    const page = notebookToHtml(parseNotebook(text), { title: name });
    assert.doesNotMatch(page, /<script/i, name);
    assert.doesNotMatch(page, /src="https?:|url\((?!data:)/, name);
  }
});

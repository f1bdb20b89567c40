// markdownToHtml as Jupyter users write markdown: tables, math, code, raw HTML, attachments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachmentUrl, headingId, markdownToHtml } from './markdown-to-html';
import { latexToHtml } from './markdown-math';

const KATEX = '<span class="katex">';
const countOf = (haystack: string, needle: string) => haystack.split(needle).length - 1;

test('GitHub tables become <table> with column alignment', () => {
  const html = markdownToHtml('| name | n |\n|------|--:|\n| a | 1 |\n| b | 22 |');
  assert.match(html, /<table>/);
  assert.match(html, /<th>name<\/th>/);
  assert.match(html, /<td style="text-align:right">22<\/td>/);
});

test('$x^2$ is inline KaTeX and $$...$$ is display KaTeX', () => {
  const inline = markdownToHtml('The square $x^2$ grows.');
  assert.ok(inline.includes(KATEX));
  assert.ok(!inline.includes('katex-display'));
  assert.ok(inline.includes('<annotation encoding="application/x-tex">x^2</annotation>'));

  const block = markdownToHtml('Before\n$$\n\\int_0^1 x\\,dx\n$$\nAfter');
  assert.match(block, /<div class="math-block"><span class="katex-display">/);
  assert.ok(block.includes('<p>Before</p>'));
  assert.ok(block.includes('<p>After</p>'));

  const inParagraph = markdownToHtml('so $$a+b$$ holds');
  assert.ok(inParagraph.includes('katex-display'));
});

test('display math keeps lines that markdown would read as lists or headings', () => {
  const html = markdownToHtml('$$\na\n+ b\n= c\n$$');
  assert.ok(!html.includes('<ul>'));
  assert.ok(!html.includes('<h1'));
  assert.equal(countOf(html, 'katex-display'), 1);
});

test('\\begin{align} on its own lines is display math', () => {
  const html = markdownToHtml('\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}');
  assert.ok(html.includes('katex-display'));
  assert.ok(!html.includes('katex-error'));
});

test('dollars in code spans, code blocks, escapes and prices stay text', () => {
  const html = markdownToHtml('Use `$HOME` and \\$5, it costs $5 and $6.\n\n```\necho $PATH $x$\n```');
  assert.ok(!html.includes(KATEX), html);
  assert.ok(html.includes('<code>$HOME</code>'));
  assert.ok(html.includes('$5'));
  assert.ok(html.includes('echo $PATH $x$'));
});

test('markdown syntax inside math is not interpreted', () => {
  const html = markdownToHtml('$a_1 * b_2 * c$');
  assert.ok(!html.includes('<em>'));
  assert.ok(html.includes('<annotation encoding="application/x-tex">a_1 * b_2 * c</annotation>'));
});

test('invalid TeX renders an error marker instead of throwing', () => {
  const html = markdownToHtml('bad $\\frac{1$ here');
  assert.ok(html.includes('<span class="katex-error"'), html);
  assert.ok(html.includes(' here</p>'));
});

test('raw HTML is sanitized without a DOM as in a browser: <script> and handlers never survive; escape on request', () => {
  const source = '<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)> <b>bold</b>';
  const html = markdownToHtml(source);
  assert.ok(!html.includes('<script'));
  assert.ok(!html.includes('onerror'));
  assert.ok(html.includes('<b>bold</b>'));
  const escaped = markdownToHtml(source, undefined, { rawHtml: 'escape' });
  assert.ok(!escaped.includes('<img'));
  assert.ok(escaped.includes('&lt;script&gt;'));
});

test('a caller-supplied sanitizer receives raw HTML kept by the renderer', () => {
  let seen = '';
  const html = markdownToHtml('<b>bold</b> and <script>x()</script> with $x^2$', undefined, {
    rawHtml: (raw) => {
      seen = raw;
      return raw.replace(/<script>[\s\S]*?<\/script>/g, '');
    },
  });
  assert.ok(seen.includes('<b>bold</b>'));
  assert.ok(seen.includes('<script>'));
  assert.ok(!html.includes('<script>'));
  assert.ok(!seen.includes(KATEX), 'formulas are kept away from the sanitizer');
  assert.ok(html.includes(KATEX), 'and put back after it');
  assert.ok(!html.includes('data-math-slot'));
});

test('javascript: links are refused', () => {
  const html = markdownToHtml('[click](javascript:alert(1))');
  assert.ok(!html.includes('href="javascript:'));
});

test('external links open in a new tab with rel=noopener; anchors stay in the page', () => {
  const html = markdownToHtml('[site](https://example.org) [up](#Intro) and https://bare.example.org');
  assert.ok(html.includes('<a href="https://example.org" target="_blank" rel="noopener noreferrer">site</a>'));
  assert.ok(html.includes('<a href="#Intro">up</a>'));
  assert.ok(html.includes('<a href="https://bare.example.org" target="_blank" rel="noopener noreferrer">'));
});

test('headings get Jupyter-style ids, unique within the cell', () => {
  const html = markdownToHtml('# Data Loading\n\n## Data Loading\n\n### A `code` title');
  assert.ok(html.includes('<h1 id="Data-Loading">'));
  assert.ok(html.includes('<h2 id="Data-Loading-1">'));
  assert.ok(html.includes('<h3 id="A-code-title">'));
  assert.ok(html.includes('<a class="anchor-link" href="#Data-Loading"'));
  assert.equal(headingId('  Hello   World '), 'Hello-World');
});

test('attachment: images resolve to data URLs from the cell attachments', () => {
  const attachments = { 'plot one.png': { 'image/png': ['iVBORw0KGgo\n', 'AAAA'] }, 'a.jpg': { 'image/jpeg': '/9j/4AAQ' } };
  const html = markdownToHtml('![plot](attachment:plot%20one.png) ![b](attachment:a.jpg) ![c](attachment:missing.png)', attachments);
  assert.ok(html.includes('src="data:image/png;base64,iVBORw0KGgoAAAA"'));
  assert.ok(html.includes('src="data:image/jpeg;base64,/9j/4AAQ"'));
  assert.ok(html.includes('src="attachment:missing.png"'));
  assert.equal(attachmentUrl('attachment:a.jpg', { 'a.jpg': { 'text/html': '<b>' } }), undefined);
});

test('text/latex outputs: one formula is display math, prose keeps its text escaped', () => {
  assert.ok(latexToHtml('$$\\frac{a}{b}$$').includes('katex-display'));
  assert.ok(latexToHtml('\\[ x \\]').includes('katex-display'));
  assert.ok(latexToHtml('\\begin{equation} y = 1 \\end{equation}').includes('katex-display'));
  const prose = latexToHtml('Value of $x$ is <b>&');
  assert.ok(prose.includes(KATEX));
  assert.ok(prose.includes('&lt;b&gt;&amp;'));
  assert.ok(!prose.includes('katex-display'));
});

test('openers that never close stay text, and a closed block after them is still math', () => {
  const html = markdownToHtml(['\\begin{a} one', '\\begin{b} two', '\\begin{a} three', '', '$$', 'x^2', '$$'].join('\n'));
  assert.ok(html.includes('\\begin{a} one') && html.includes('\\begin{b} two') && html.includes('\\begin{a} three'), html);
  assert.equal(html.match(/katex-display/g)?.length, 1, html);
});

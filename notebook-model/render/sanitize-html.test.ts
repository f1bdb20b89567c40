import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeHtml } from './sanitize-html';

test('a DataFrame keeps its table, classes and cell styles; its style sheet and scripts go', () => {
  const html = '<div><style scoped>.dataframe{color:red}</style><table border="1" class="dataframe"><thead><tr style="text-align: right;"><th></th><th>a</th></tr></thead>'
    + '<tbody><tr><th>0</th><td onclick="alert(1)">1</td></tr></tbody></table><script>alert(1)</script></div>';
  const clean = sanitizeHtml(html);
  assert.match(clean, /<table border="1" class="dataframe">/);
  assert.match(clean, /<tr style="text-align:right">/);
  assert.match(clean, /<td>1<\/td>/);
  assert.doesNotMatch(clean, /script|onclick|<style|color:red/);
});

test('links are neutralised and open apart; javascript: URLs and unsafe data: images are dropped', () => {
  assert.equal(sanitizeHtml('<a href="javascript:alert(1)">x</a>'), '<a target="_blank" rel="noopener noreferrer">x</a>');
  assert.equal(sanitizeHtml('<a href="https://example.org">x</a>'), '<a href="https://example.org" target="_blank" rel="noopener noreferrer">x</a>');
  assert.equal(sanitizeHtml('<img src="data:image/png;base64,AAAA">'), '<img src="data:image/png;base64,AAAA" />');
  assert.equal(sanitizeHtml('<img src="data:text/html;base64,AAAA">'), '');
  assert.equal(sanitizeHtml('<iframe src="https://example.org"></iframe><form><input></form>'), '');
  assert.equal(sanitizeHtml('<p style="position: fixed; color: blue">x</p>'), '<p style="color:blue">x</p>');
});

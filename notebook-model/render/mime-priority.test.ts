// The representation chosen for a MIME bundle follows Jupyter's order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseMime, imageDataUrl, imageSize, mimeText, preferredMime, rankedMimes, WIDGET_MIME } from './mime-priority';

const cases: [string, Record<string, unknown>, string | undefined][] = [
  ['pandas DataFrame: html over plain', { 'text/plain': 'df', 'text/html': '<table/>' }, 'text/html'],
  ['matplotlib figure: png over plain', { 'text/plain': '<Figure>', 'image/png': 'iVBO' }, 'image/png'],
  ['svg over png', { 'image/png': 'x', 'image/svg+xml': '<svg/>' }, 'image/svg+xml'],
  ['html over svg', { 'image/svg+xml': '<svg/>', 'text/html': '<b/>' }, 'text/html'],
  ['png over jpeg', { 'image/jpeg': 'x', 'image/png': 'y' }, 'image/png'],
  ['jpeg over markdown', { 'text/markdown': '# a', 'image/jpeg': 'y' }, 'image/jpeg'],
  ['markdown over latex', { 'text/latex': '$x$', 'text/markdown': '*x*' }, 'text/markdown'],
  ['latex over json', { 'application/json': {}, 'text/latex': '$x$' }, 'text/latex'],
  ['json over plain', { 'text/plain': '{}', 'application/json': { a: 1 } }, 'application/json'],
  ['plain alone', { 'text/plain': 'hi' }, 'text/plain'],
  ['unknown types fall through to the best known one', { 'application/vnd.plotly.v1+json': {}, 'text/html': '<div/>', 'text/plain': 'Figure' }, 'text/html'],
  ['javascript is never chosen', { 'application/javascript': 'alert(1)', 'text/plain': 'js' }, 'text/plain'],
  ['only unknown types', { 'application/x-custom': 'x' }, undefined],
  ['empty bundle', {}, undefined],
];

for (const [name, bundle, expected] of cases) {
  test(`preferredMime: ${name}`, () => {
    assert.equal(preferredMime(bundle), expected);
  });
}

test('a widget comes first and names the representation to show in its place', () => {
  const bundle = { 'text/plain': 'IntSlider(value=3)', [WIDGET_MIME]: { model_id: 'abc', version_major: 2 } };
  assert.deepEqual(chooseMime(bundle), { mime: WIDGET_MIME, widgetFallback: 'text/plain' });
  assert.deepEqual(chooseMime({ [WIDGET_MIME]: {}, 'text/html': '<b/>', 'text/plain': 'x' }), { mime: WIDGET_MIME, widgetFallback: 'text/html' });
  assert.deepEqual(chooseMime({ [WIDGET_MIME]: {} }), { mime: WIDGET_MIME, widgetFallback: undefined });
  assert.deepEqual(chooseMime({ 'text/plain': 'x' }), { mime: 'text/plain' });
});

test('rankedMimes lists every renderable type present, best first, skipping null values', () => {
  assert.deepEqual(rankedMimes({ 'text/plain': 'a', 'image/png': 'b', 'text/html': null, 'x/y': 1 }), ['image/png', 'text/plain']);
  assert.deepEqual(rankedMimes(undefined), []);
});

test('multiline values join and base64 images lose their line breaks', () => {
  assert.equal(mimeText(['a\n', 'b']), 'a\nb');
  assert.equal(mimeText(42), '');
  assert.equal(imageDataUrl('image/png', 'iVBO\nRw0K\n'), 'data:image/png;base64,iVBORw0K');
  assert.equal(imageDataUrl('text/html', '<b>'), undefined);
  assert.equal(imageDataUrl('image/png" onerror="x', 'a'), undefined);
});

test('image size hints come from metadata[mime]', () => {
  assert.deepEqual(imageSize({ 'image/png': { width: 300, height: 200 } }, 'image/png'), { width: 300, height: 200 });
  assert.deepEqual(imageSize({ 'image/png': { width: '300' } }, 'image/png'), {});
  assert.deepEqual(imageSize(undefined, 'image/png'), {});
});

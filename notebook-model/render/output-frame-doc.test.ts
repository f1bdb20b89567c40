// The sandboxed frame document: isolation attribute, height reporting, message checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildFrameSrcdoc,
  clampFrameHeight,
  FRAME_HEIGHT_MESSAGE,
  FRAME_SANDBOX,
  frameHeightFromMessage,
  MAX_FRAME_HEIGHT,
} from './output-frame-doc';

test('the sandbox lets scripts run but never grants the app origin', () => {
  assert.equal(FRAME_SANDBOX, 'allow-scripts');
  assert.ok(!FRAME_SANDBOX.includes('allow-same-origin'));
});

test('the srcdoc carries the height reporter before the content, and the content verbatim', () => {
  const content = '<table class="dataframe"><tr><td>1</td></tr></table><script>draw()</script>';
  const doc = buildFrameSrcdoc(content, 'html');
  assert.ok(!doc.includes('allow-same-origin'));
  assert.ok(doc.includes('ResizeObserver'));
  assert.ok(doc.includes('parent.postMessage'));
  assert.ok(doc.includes(FRAME_HEIGHT_MESSAGE));
  assert.ok(doc.includes(content));
  assert.ok(doc.indexOf('ResizeObserver') < doc.indexOf(content), 'reporter runs from <head>, before kernel markup');
  assert.ok(doc.includes('.dataframe'), 'base stylesheet styles pandas tables');
});

test('only our message shape yields a height, clamped to sane bounds', () => {
  assert.equal(frameHeightFromMessage({ type: FRAME_HEIGHT_MESSAGE, height: 120.2 }), 121);
  assert.equal(frameHeightFromMessage({ type: FRAME_HEIGHT_MESSAGE, height: 1e9 }), MAX_FRAME_HEIGHT);
  assert.equal(frameHeightFromMessage({ type: FRAME_HEIGHT_MESSAGE, height: -5 }), clampFrameHeight(0));
  assert.equal(frameHeightFromMessage({ type: FRAME_HEIGHT_MESSAGE, height: Number.NaN }), undefined);
  assert.equal(frameHeightFromMessage({ type: FRAME_HEIGHT_MESSAGE, height: '100' }), undefined);
  assert.equal(frameHeightFromMessage({ type: 'other', height: 100 }), undefined);
  assert.equal(frameHeightFromMessage('100'), undefined);
  assert.equal(frameHeightFromMessage(null), undefined);
});

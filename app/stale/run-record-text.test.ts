import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAgo, formatDuration, runRecordText } from './run-record-text';

test('a run record reads as when, how long and who', () => {
  const now = Date.parse('2026-12-03T10:02:00.000Z');
  const text = runRecordText({
    busy: '2026-12-03T09:59:58.800Z', idle: '2026-12-03T10:00:00.000Z', runBy: { name: 'Ana', id: 'u1' },
  }, now);
  assert.equal(text, 'ran 2 min ago · took 1.2 s · by Ana');
});

test('a record without timestamps or a person still says what it knows, or nothing', () => {
  assert.equal(runRecordText({ runBy: { name: 'Bo', id: 'u2' } }, 0), 'by Bo');
  assert.equal(runRecordText({}, 0), null);
  assert.equal(runRecordText({ executeReply: 'not a date' }, 0), null);
});

test('ages and durations', () => {
  assert.equal(formatAgo(3_000), 'just now');
  assert.equal(formatAgo(45_000), '45 s ago');
  assert.equal(formatAgo(3 * 3600_000), '3 h ago');
  assert.equal(formatAgo(86_400_000), '1 day ago');
  assert.equal(formatAgo(-5_000), 'just now');
  assert.equal(formatDuration(40), '0.04 s');
  assert.equal(formatDuration(125_000), '2 min 05 s');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { formatClockTime, formatTimestamp } from './timestamps';

test('one format for a moment: minutes, UTC, whatever the input', () => {
  assert.equal(formatTimestamp(new Date('2026-12-03T07:04:59.900Z')), '2026-12-03 07:04 UTC');
  assert.equal(formatTimestamp('2026-12-03T23:30:00+02:00'), '2026-12-03 21:30 UTC');
  assert.equal(formatTimestamp('not a date'), '');
  assert.equal(formatClockTime(Date.parse('2026-12-03T07:04:09.5Z')), '07:04:09 UTC');
});

test('no page or server module formats dates its own way', () => {
  // Any of these outside timestamps.ts is a second date format.
  const root = join(import.meta.dirname, '..');
  const patterns = ['toLocaleString(', 'toLocaleDateString(', 'toLocaleTimeString(', "toISOString().slice(0, 1", 'Intl.DateTimeFormat'];
  const hits: string[] = [];
  for (const pattern of patterns) {
    try {
      hits.push(...execFileSync('git', ['grep', '-n', '-F', pattern, '--', 'app', 'library', 'cli', ':!*.test.ts', ':!library/timestamps.ts'], { cwd: root, encoding: 'utf8' }).trim().split('\n'));
    } catch (err) {
      if ((err as { status?: number }).status !== 1) throw err; // 1: no match
    }
  }
  assert.deepEqual(hits, []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pythonJsonDumps } from './python-json';
import { PYTHON } from './python-oracle';

test('JSON text is what Python json.dumps(indent=1, sort_keys=True, ensure_ascii=False) writes', () => {
  const values: unknown[] = [
    { b: 1, a: [], c: {}, 'é': 'ü', '\uffff': 1, '\u{1f600}': 2, 'Z': null, z: true },
    [0.1, 1.5, -2.25, 1e-5, 0.0001, 123456.789, 1e15 + 0.5, 1e16 + 2, 1.7976931348623157e308, 5e-324, -1e-7, 3.141592653589793],
    [0, -1, 2 ** 53, 1e20, 12345678901234567000],
    ['\u2028\u2029', '\x00\x1f\x7f', 'tab\there "quoted" \\ back', '☃ 𝄞', '</script>'],
    { nested: { deeper: [[], [{}], [1, [2, [3]]]] } },
  ];
  const script = 'import json,sys\nfor v in json.load(sys.stdin): print(json.dumps(v, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False)); print("\\x00")';
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(values), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const expected = r.stdout.split('\n\x00\n').slice(0, values.length);
  values.forEach((v, i) => assert.equal(pythonJsonDumps(v), expected[i], `value ${i}`));
});

// The variables refresh against a real python3 ipykernel: sizes as numpy and
// pandas report them, the largest first, nothing transferred but descriptions,
// and the kernel's execution count and history untouched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KernelClient } from './kernel-client';
import { parseVariablesAnswer, readVariables, VariablesUnavailable } from './variables';
import { MAX_DESCRIBED_VARIABLES } from '../notebook-model/service-protocol';

let kernel: KernelClient;
const LONG = { timeout: 120_000 };

before(async () => { kernel = await KernelClient.start({ specName: 'python3' }); });
after(async () => { await kernel?.shutdown(); });

const execute = (code: string, options = {}) => kernel.execute(code, options);

async function run(code: string): Promise<number | null> {
  const outcome = await kernel.execute(code, { storeHistory: true }).done;
  assert.equal(outcome.status, 'completed');
  if (outcome.status !== 'completed') throw new Error('not completed');
  assert.equal(outcome.reply.status, 'ok', JSON.stringify(outcome.reply));
  return outcome.reply.execution_count;
}

/** What the kernel itself says, by an ordinary (counted) execution, as a number. */
async function kernelNumber(expression: string): Promise<number> {
  const handle = kernel.execute('', { silent: true, storeHistory: false, userExpressions: { v: expression } });
  const outcome = await handle.done;
  if (outcome.status !== 'completed') throw new Error('kernel died');
  return Number((outcome.reply.user_expressions?.v as { data: { 'text/plain': string } }).data['text/plain']);
}

test('a 100 MB numpy array and a DataFrame: sizes within 5% of nbytes / memory_usage(deep=True), largest first, the count untouched', LONG, async () => {
  await run([
    'import numpy as np, pandas as pd',
    'big = np.zeros((100 * 2**20) // 8)',
    'frame = pd.DataFrame({"n": np.arange(100_000), "s": [f"row {i}" for i in range(100_000)]})',
    'label = "hello"',
    'items = [1, 2, 3]',
  ].join('\n'));
  const before = await run('1 + 1');
  const report = await readVariables(execute);
  const again = await readVariables(execute);
  const after = await run('2 + 2');
  assert.equal(after, (before ?? 0) + 1, 'the refreshes did not count as executions');
  assert.deepEqual(again.list.map((v) => v.name), report.list.map((v) => v.name));
  const history = await kernelNumber('len(get_ipython().history_manager.input_hist_raw)');
  assert.equal(history, (after ?? 0) + 1, 'nor entered the history (one empty entry at index 0, then one per counted run)');

  const byName = new Map(report.list.map((v) => [v.name, v]));
  assert.deepEqual(report.list.slice(0, 2).map((v) => v.name), ['big', 'frame'], 'sorted by size');
  const big = byName.get('big')!;
  const nbytes = await kernelNumber('big.nbytes');
  assert.ok(Math.abs(big.size! - nbytes) <= nbytes * 0.05, `${big.size} vs ${nbytes}`);
  assert.equal(nbytes, 100 * 2 ** 20);
  assert.deepEqual(big.shape, [(100 * 2 ** 20) / 8]);
  assert.equal(big.type, 'numpy.ndarray');
  assert.equal(big.repr, 'dtype float64', 'the array is described, not transferred');

  const frame = byName.get('frame')!;
  const deep = await kernelNumber('int(frame.memory_usage(deep=True).sum())');
  assert.ok(Math.abs(frame.size! - deep) <= deep * 0.05, `${frame.size} vs ${deep}`);
  assert.deepEqual(frame.shape, [100_000, 2]);
  assert.equal(frame.type, 'pandas.DataFrame');
  assert.equal(frame.repr, 'columns: n, s');

  assert.equal(byName.get('label')?.repr, "'hello'");
  assert.equal(byName.get('items')?.length, 3);
  assert.ok(!byName.has('np') && !byName.has('pd'), 'modules are not variables');
  assert.ok(report.list.every((v) => !v.name.startsWith('_')), 'no hidden names');
  assert.ok(JSON.stringify(report).length < 20_000, 'only descriptions travel');
  assert.equal(await kernelNumber('len([k for k in globals() if k.startswith("_r") or k == "result"])'), 0, 'the snippet left nothing in the user namespace');
});

test('more variables than are described: the total counts them all, the list stops at the maximum', LONG, async () => {
  await run('for i in range(1000): globals()[f"v{i}"] = i');
  const report = await readVariables(execute);
  assert.ok(report.total >= 1000);
  assert.equal(report.list.length, MAX_DESCRIBED_VARIABLES);
  assert.ok(report.kernelMs > 0);
});

test('hostile or broken answers are refused with a reason, never passed on', () => {
  const answer = (text: unknown) => ({ status: 'ok', data: { 'text/plain': text } });
  assert.throws(() => parseVariablesAnswer(undefined), VariablesUnavailable);
  assert.throws(() => parseVariablesAnswer({ status: 'error', ename: 'NameError', evalue: 'x' }), /NameError/);
  assert.throws(() => parseVariablesAnswer(answer('not json')), /not JSON/);
  assert.throws(() => parseVariablesAnswer(answer('x'.repeat(600_000))), /too large/);
  assert.throws(() => parseVariablesAnswer(answer(JSON.stringify({ total: 1, list: [{ name: 'a'.repeat(500), type: 't', size: 1, shape: null, length: null, repr: '' }], kernelMs: 1 }))), /malformed/);
  const ok = parseVariablesAnswer(answer(JSON.stringify({ total: 1, list: [{ name: 'a', type: 'int', size: 28, shape: null, length: null, repr: '1' }], kernelMs: 0.5 })));
  assert.deepEqual(ok.list.map((v) => v.name), ['a']);
});

test('a refresh is nobody\'s run: the kernel\'s status stays idle for everyone while it runs', LONG, async () => {
  await run('1 + 1');
  const statuses: string[] = [];
  const listener = (status: string) => statuses.push(status);
  kernel.on('status', listener);
  try {
    await readVariables(execute);
    // The refresh's own busy and idle have come and gone: the cell below goes busy only after them.
    await run('2 + 2');
  } finally {
    kernel.off('status', listener);
  }
  assert.deepEqual(statuses, ['busy', 'idle'], 'only the counted run shows the kernel busy');
});

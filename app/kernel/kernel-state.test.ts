// Reading the bridge's kernel state out of a room's awareness entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KernelAwarenessState as BridgeKernelState } from '../../kernel-bridge/kernel-session';
import { formatElapsed, interruptLabel, kernelStateOf, noKernel, queuePositionOf, type AwarenessEntry, type KernelAwarenessState } from './kernel-state';

// Compile-time check (tsc -p .): every state the bridge publishes fits the page's type.
const bridgeStateFits = (state: BridgeKernelState): KernelAwarenessState => state;
void bridgeStateFits;

const person = (clientId: number, name: string): AwarenessEntry => ({ clientId, state: { user: { name, color: '#123456' }, cellId: 'c1' }, lastUpdated: 1 });
const bridge = (clientId: number, kernel: unknown, lastUpdated = 1): AwarenessEntry => ({ clientId, state: { user: { name: 'Kernel', color: '#888' }, kernel }, lastUpdated });

test('no bridge in the room means no kernel', () => {
  assert.deepEqual(kernelStateOf([person(1, 'Ada'), person(2, 'Bob')]), noKernel);
  assert.equal(kernelStateOf([]).status, 'none');
});

test("the bridge's entry is found among people and read in full", () => {
  const kernel = {
    status: 'busy', specName: 'python3', displayName: 'Python 3 (ipykernel)',
    runningCellId: 'c2', runStartedAt: 1_700_000_000_000, runBy: { name: 'Ada', userId: 'guest:ada' },
    queue: [{ cellId: 'c3', queuedBy: { name: 'Bob' } }, { cellId: 'c4', queuedBy: { name: 'Ada' } }],
    inputRequest: { cellId: 'c2', prompt: 'name? ', password: false, forUserId: 'guest:ada' },
  };
  const state = kernelStateOf([person(1, 'Ada'), bridge(7, kernel), person(2, 'Bob')]);
  assert.deepEqual(state, kernel);
  assert.equal(queuePositionOf(state, 'c3'), 1);
  assert.equal(queuePositionOf(state, 'c4'), 2);
  assert.equal(queuePositionOf(state, 'c2'), undefined, 'the running cell is not in the queue');
});

test('a state without the contract\'s shape is ignored, not trusted', () => {
  assert.equal(kernelStateOf([bridge(7, { status: 'exploded', queue: [] })]).status, 'none');
  assert.equal(kernelStateOf([bridge(7, { status: 'idle', queue: 'c1' })]).status, 'none');
  assert.equal(kernelStateOf([bridge(7, { status: 'idle', inputRequest: { cellId: 'c1' } })]).status, 'none');
  assert.equal(kernelStateOf([bridge(7, 'idle')]).status, 'none');
  // A missing queue is an empty one.
  assert.deepEqual(kernelStateOf([bridge(7, { status: 'idle' })]).queue, []);
});

test('of two bridge entries the most recently updated wins', () => {
  const old = bridge(3, { status: 'busy', queue: [] }, 1_000);
  const fresh = bridge(9, { status: 'dead', deadReason: 'exit code 1', queue: [] }, 2_000);
  assert.equal(kernelStateOf([old, fresh]).status, 'dead');
  assert.equal(kernelStateOf([fresh, old]).deadReason, 'exit code 1');
});

test('elapsed times read well and are never negative', () => {
  assert.equal(formatElapsed(0), '0.0 s');
  assert.equal(formatElapsed(-250), '0.0 s', 'a browser clock behind the bridge\'s');
  assert.equal(formatElapsed(1_234), '1.2 s');
  assert.equal(formatElapsed(59_949), '59.9 s');
  assert.equal(formatElapsed(125_000), '2 min 05 s');
  assert.equal(formatElapsed(3_725_000), '1 h 02 min');
});

test('the latest Interrupt reads as who asked and what came of it; a malformed one is not trusted', () => {
  const at = 1_700_000_000_000;
  const interrupted = (outcome: string) => kernelStateOf([bridge(7, { status: 'busy', queue: [], interrupt: { by: { name: 'Ana' }, at, cellId: 'c2', outcome } })]);
  assert.equal(interruptLabel(interrupted('pending')), 'Interrupt requested by Ana…');
  assert.equal(interruptLabel(interrupted('stopped')), 'Interrupted by Ana');
  assert.equal(interruptLabel(interrupted('not running')), 'Interrupt by Ana: nothing was running');
  assert.match(interruptLabel(interrupted('finished'))!, /^Interrupt by Ana: the cell ended without being stopped/);
  assert.match(interruptLabel(interrupted('failed'))!, /did not stop the cell; restart the kernel/);
  assert.equal(interruptLabel(kernelStateOf([bridge(7, { status: 'idle', queue: [] })])), undefined);
  assert.equal(interrupted('exploded').status, 'none', 'an unknown outcome makes the state untrusted');
  assert.equal(kernelStateOf([bridge(7, { status: 'idle', queue: [], interrupt: { by: 'Ana', at, outcome: 'stopped' } })]).status, 'none');
});

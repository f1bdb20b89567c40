// How a setting is read: blank is unset, a bad value stops with the variable's name and what it got.
import test from 'node:test';
import assert from 'node:assert/strict';
import { choiceSetting, isWhole, numberSetting, rawSetting } from './setting';
import { collabLimits } from './limits';
import { kernelLeaseMs } from './cluster';

test('unset and blank settings take the default; set ones are trimmed', () => {
  assert.equal(rawSetting('X', {}), undefined);
  assert.equal(rawSetting('X', { X: '   ' }), undefined);
  assert.equal(rawSetting('X', { X: ' a ' }), 'a');
  assert.equal(numberSetting('N', 7, isWhole(0), 'whole', { N: '' }), 7);
  assert.equal(numberSetting('N', 7, isWhole(0), 'whole', { N: ' 12 ' }), 12);
  assert.equal(choiceSetting('C', ['a', 'b'] as const, 'a', { C: 'B' }), 'b');
});

test('a bad value names the variable, the requirement and the value', () => {
  assert.throws(() => numberSetting('N', 7, isWhole(0, 10), 'a whole number from 0 to 10', { N: '11' }), /^Error: N must be a whole number from 0 to 10, got "11"$/);
  assert.throws(() => numberSetting('N', 7, isWhole(0), 'whole', { N: 'seven' }), /N must be whole, got "seven"/);
  assert.throws(() => numberSetting('N', 7, isWhole(0), 'whole', { N: 'Infinity' }), /N must be whole/);
  assert.throws(() => choiceSetting('C', ['a', 'b'] as const, 'a', { C: 'c' }), /C must be one of "a", "b", got "c"/);
  assert.throws(() => collabLimits({ COLLAB_MAX_UPDATE_BYTES: '-1' }), /COLLAB_MAX_UPDATE_BYTES must be a positive whole number, got "-1"/);
  assert.throws(() => kernelLeaseMs({ CELLMATE_KERNEL_LEASE_SECONDS: '0.5' }), /CELLMATE_KERNEL_LEASE_SECONDS must be 1..600/);
  assert.equal(kernelLeaseMs({ CELLMATE_KERNEL_LEASE_SECONDS: '2.5' }), 2500);
});

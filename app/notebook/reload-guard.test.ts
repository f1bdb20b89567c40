// A replaced document reloads the page, but never in an endless loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reloadForReplacedDocument, type ReloadEnvironment } from './reload-guard';

function environment() {
  const items = new Map<string, string>();
  const env = {
    now: 1_000_000,
    reloads: 0,
    storage: { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) },
  };
  const asEnv: ReloadEnvironment = { storage: env.storage, now: () => env.now, reload: () => { env.reloads++; } };
  return { env, asEnv };
}

test('reloads up to three times in quick succession, then gives up', () => {
  const { env, asEnv } = environment();
  assert.equal(reloadForReplacedDocument('nb1', asEnv), true);
  env.now += 1_000;
  assert.equal(reloadForReplacedDocument('nb1', asEnv), true);
  env.now += 1_000;
  assert.equal(reloadForReplacedDocument('nb1', asEnv), true);
  env.now += 1_000;
  assert.equal(reloadForReplacedDocument('nb1', asEnv), false);
  assert.equal(env.reloads, 3);
  assert.equal(reloadForReplacedDocument('nb2', asEnv), true, 'another notebook has its own count');
});

test('replacements far apart always reload', () => {
  const { env, asEnv } = environment();
  for (let i = 0; i < 6; i++) {
    assert.equal(reloadForReplacedDocument('nb', asEnv), true);
    env.now += 60_000;
  }
  assert.equal(env.reloads, 6);
});

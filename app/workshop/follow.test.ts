import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audienceOf, FollowController } from './follow';

const presenter = { user: { name: 'Grace' }, cellId: 'c3', view: { cellId: 'c2', offset: 40 } };
const room = (extra: [number, unknown][] = []) => new Map<number, unknown>([[1, presenter], [2, { user: { name: 'Ada' } }], ...extra]);

test('following puts the window on the followed person\'s view and cell', () => {
  const follow = new FollowController();
  assert.equal(follow.target(room()), null, 'nothing to follow before choosing someone');
  follow.follow(1);
  assert.deepEqual(follow.target(room()), { view: { cellId: 'c2', offset: 40 }, cellId: 'c3' });
  assert.deepEqual(follow.presence(), { following: 1, followPaused: false });
});

test('scrolling away pauses following until the viewer catches up', () => {
  const follow = new FollowController();
  let changes = 0;
  follow.subscribe(() => changes++);
  follow.userScrolled();
  assert.equal(follow.status.kind, 'idle', 'scrolling while not following changes nothing');
  follow.follow(1);
  follow.userScrolled();
  assert.deepEqual(follow.status, { kind: 'paused', clientId: 1 });
  assert.equal(follow.target(room()), null, 'a paused follower\'s window is their own');
  assert.deepEqual(follow.presence(), { following: 1, followPaused: true });
  follow.userScrolled();
  follow.catchUp();
  assert.deepEqual(follow.status, { kind: 'following', clientId: 1 });
  assert.equal(follow.target(room())?.cellId, 'c3');
  assert.equal(changes, 3, 'follow, pause, catch up — repeated scrolls notify once');
  follow.stop();
  assert.deepEqual(follow.presence(), { following: null, followPaused: false });
});

test('following ends when the followed person leaves', () => {
  const follow = new FollowController();
  follow.follow(1);
  follow.reconcile(new Map([[2, { user: { name: 'Ada' } }]]));
  assert.equal(follow.status.kind, 'idle');
});

test('the audience counts people present and followers per person, without the kernel', () => {
  const states = room([
    [3, { user: { name: 'Bob' }, following: 1 }],
    [4, { user: { name: 'Cy' }, following: 1, followPaused: true }],
    [5, { user: { name: 'Dee' }, following: 2 }],
    [6, { user: { name: 'Eve' }, following: 99 }], // follows someone gone
    [7, { user: { name: 'Kernel' }, kernel: { status: 'idle' } }],
  ]);
  const audience = audienceOf(states);
  assert.equal(audience.present, 6);
  assert.deepEqual(audience.followed.map((f) => [f.person.user.name, f.followers, f.paused]), [['Grace', 2, 1], ['Ada', 1, 0]]);
});

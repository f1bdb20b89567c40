// The workshop fields travel through the real collab server between viewers and
// a presenter: following is counted, a hand raised by a viewer is queued at the
// presenter, and the presenter's lowering reaches the viewer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRig, waitFor } from '../../collab-server/test-rig';
import { audienceOf } from './follow';
import { handQueue, lowerHand, wasLowered } from './hands';
import type { RaisedHand } from './workshop-presence';

test('following and hands travel over awareness through the collab server', async () => {
  const rig = await startRig({ awarenessThrottleMs: 50 });
  try {
    const id = await rig.newNotebook(['a', 'b', 'c']);
    const presenter = await rig.connect(id, { role: 'owner', name: 'Grace' });
    const ada = await rig.connect(id, { role: 'viewer', name: 'Ada' });
    const bob = await rig.connect(id, { role: 'viewer', name: 'Bob' });
    const grace = presenter.provider.awareness;
    grace.setLocalState({ user: { name: 'Grace' }, cellId: 'cell-0', view: { cellId: 'cell-0', offset: 0 } });
    ada.provider.awareness.setLocalState({ user: { name: 'Ada' }, following: grace.clientID, followPaused: false });
    const hand: RaisedHand = { cellId: 'cell-2', raisedAt: Date.now() };
    bob.provider.awareness.setLocalState({ user: { name: 'Bob' }, cellId: 'cell-2', hand });

    await waitFor(() => handQueue(grace.getStates()).length === 1 && audienceOf(grace.getStates()).present === 3, 'the presenter to see everyone');
    const audience = audienceOf(grace.getStates());
    assert.deepEqual(audience.followed.map((f) => [f.person.user.name, f.followers]), [['Grace', 1]]);
    const [queued] = handQueue(grace.getStates());
    assert.equal(queued.person.user.name, 'Bob');
    assert.equal(queued.hand.cellId, 'cell-2');
    assert.equal(queued.person.role, 'viewer', 'the server stamps the raiser\'s role');

    grace.setLocalStateField('loweredHands', lowerHand(grace.getStates(), undefined, queued.person.clientId, queued.hand));
    await waitFor(() => wasLowered(bob.provider.awareness.getStates(), bob.doc.clientID, hand), 'Bob to see his hand lowered');
    await waitFor(() => handQueue(ada.provider.awareness.getStates()).length === 0, 'Ada\'s queue to be empty');
  } finally {
    await rig.close();
  }
});

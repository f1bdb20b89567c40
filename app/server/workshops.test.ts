// Who presents in a workshop, and the workshop links' secrets: pure rules,
// without a database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkshopRecord } from '../../storage';
import type { NotebookAccess } from './notebook-access';
import { isPresenter, isWorkshopAttendee, workshopLinkSecret } from './workshops';

process.env.CELLMATE_SECRET ??= 'workshop-test-secret';

const live: WorkshopRecord = {
  id: 'w1', notebookId: 'nb', attendeeLinkId: 'attend', presenterLinkId: 'present', startedBy: 'alice',
  startedAt: new Date(), endedAt: null, forksExpireAt: null,
};

function access(role: NotebookAccess['role'], via: NotebookAccess['via']): NotebookAccess {
  return { notebookId: 'nb', role, name: 'x', holderId: 'x', via, user: null, guestId: null };
}

test('owners, editors and the presenter link\'s co-hosts present; attendees never do, even on an editor link; viewers never', () => {
  assert.equal(isPresenter(access('owner', { kind: 'member', userId: 'a' }), live), true);
  assert.equal(isPresenter(access('editor', { kind: 'member', userId: 'e' }), live), true);
  assert.equal(isPresenter(access('viewer', { kind: 'member', userId: 'v' }), live), false);
  assert.equal(isPresenter(access('editor', { kind: 'link', linkId: 'present' }), live), true);
  assert.equal(isPresenter(access('editor', { kind: 'link', linkId: 'attend' }), live), false);
  assert.equal(isWorkshopAttendee(access('editor', { kind: 'link', linkId: 'attend' }), live), true);
  assert.equal(isPresenter(access('viewer', { kind: 'link', linkId: 'attend' }), live), false);
  assert.equal(isPresenter(access('editor', { kind: 'link', linkId: 'attend' }), null), true, 'no live workshop: an editor link is just an editor link');
  assert.equal(isPresenter(access('owner', { kind: 'guest-owner', guestId: 'g' }), live), true, 'a guest on their own copy');
});

test('a workshop link\'s secret is derived from the installation secret and the link id: stable, distinct, URL-safe', () => {
  assert.equal(workshopLinkSecret('l1'), workshopLinkSecret('l1'));
  assert.notEqual(workshopLinkSecret('l1'), workshopLinkSecret('l2'));
  assert.match(workshopLinkSecret('l1'), /^[A-Za-z0-9_-]{43}$/);
});

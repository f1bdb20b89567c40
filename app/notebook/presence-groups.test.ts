import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupPeople } from './PresenceList';

const person = (clientId: number, name: string, extra: Record<string, unknown> = {}) => ({ clientId, user: { name }, ...extra });

test('presenters, people following me, others; each in natural order', () => {
  const people = [
    person(1, 'Me'), person(2, 'Attendee 10', { role: 'viewer' }), person(3, 'Attendee 2', { role: 'viewer' }),
    person(4, 'attendee 1', { role: 'viewer', following: 1 }), person(5, 'Zoe', { role: 'editor' }), person(6, 'Attendee 3', { role: 'viewer', following: 5 }),
  ];
  const groups = groupPeople(people, 1, 'owner');
  const names = (g: keyof typeof groups) => groups[g].map((p) => p.user.name);
  assert.deepEqual(names('presenters'), ['Me', 'Zoe']);
  assert.deepEqual(names('following'), ['attendee 1']);
  assert.deepEqual(names('others'), ['Attendee 2', 'Attendee 3', 'Attendee 10']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  DELIMITER,
  PROTOCOL_VERSION,
  createMessage,
  deserializeMessage,
  serializeMessage,
  signFrames,
  verifyFrames,
} from './wire-protocol';

const origin = { session: 'sess-1', username: 'ada' };
const key = 'secret-key';

test('headers carry the v5.3 fields and unique ids', () => {
  const a = createMessage('execute_request', { code: '1' }, origin);
  const b = createMessage('execute_request', { code: '1' }, origin);
  assert.equal(a.header.version, PROTOCOL_VERSION);
  assert.equal(a.header.version, '5.3');
  assert.equal(a.header.session, 'sess-1');
  assert.equal(a.header.username, 'ada');
  assert.equal(a.header.msg_type, 'execute_request');
  assert.ok(!Number.isNaN(Date.parse(a.header.date)) && a.header.date.endsWith('Z'));
  assert.notEqual(a.header.msg_id, b.header.msg_id);
  assert.deepEqual(a.parent_header, {});
});

test('serialized frames are [delimiter, hmac, header, parent, metadata, content, buffers] with a correct HMAC', () => {
  const msg = createMessage('comm_msg', { data: { x: 1 } }, origin);
  msg.buffers = [Buffer.from([1, 2, 3])];
  const frames = serializeMessage(msg, key);
  assert.equal(frames.length, 7);
  assert.equal(frames[0].toString(), DELIMITER);
  const expected = createHmac('sha256', key);
  for (const f of frames.slice(2, 6)) expected.update(f);
  assert.equal(frames[1].toString(), expected.digest('hex'));
  assert.deepEqual(JSON.parse(frames[5].toString()), { data: { x: 1 } });
  assert.deepEqual(frames[6], Buffer.from([1, 2, 3]));
});

test('a serialized message round-trips, identities before the delimiter are kept', () => {
  const parent = createMessage('execute_request', {}, origin).header;
  const msg = createMessage('stream', { name: 'stdout', text: 'hé\n' }, origin, parent, { m: true });
  msg.identities = [Buffer.from('kernel.abc.stream'), Buffer.from('id2')];
  const decoded = deserializeMessage(serializeMessage(msg, key), key);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.message.identities.map(String), ['kernel.abc.stream', 'id2']);
  assert.deepEqual(decoded.message.header, msg.header);
  assert.equal(decoded.message.parent_header.msg_id, parent.msg_id);
  assert.deepEqual(decoded.message.metadata, { m: true });
  assert.deepEqual(decoded.message.content, { name: 'stdout', text: 'hé\n' });
  assert.deepEqual(decoded.message.buffers, []);
});

test('a wrong key, a tampered frame or a truncated signature is rejected', () => {
  const frames = serializeMessage(createMessage('status', { execution_state: 'idle' }, origin), key);
  assert.deepEqual(deserializeMessage(frames, 'other-key'), { ok: false, reason: 'bad-signature' });
  const tampered = [...frames];
  tampered[5] = Buffer.from(JSON.stringify({ execution_state: 'busy' }));
  assert.deepEqual(deserializeMessage(tampered, key), { ok: false, reason: 'bad-signature' });
  const truncated = [...frames];
  truncated[1] = frames[1].subarray(0, 10);
  assert.deepEqual(deserializeMessage(truncated, key), { ok: false, reason: 'bad-signature' });
});

test('malformed framing is reported, not thrown', () => {
  assert.deepEqual(deserializeMessage([Buffer.from('x'), Buffer.from('y')], key), { ok: false, reason: 'no-delimiter' });
  assert.deepEqual(deserializeMessage([Buffer.from(DELIMITER), Buffer.from('sig')], key), { ok: false, reason: 'too-few-frames' });
  const json = ['{not json', '{}', '{}', '{}'].map((s) => Buffer.from(s));
  const frames = [Buffer.from(DELIMITER), Buffer.from(signFrames(key, json)), ...json];
  assert.deepEqual(deserializeMessage(frames, key), { ok: false, reason: 'bad-json' });
});

test('sign/verify: empty key means unsigned; verification is exact', () => {
  const parts = ['a', 'b', 'c', 'd'].map((s) => Buffer.from(s));
  assert.equal(signFrames('', parts), '');
  assert.equal(verifyFrames('', parts, 'anything'), true);
  const sig = signFrames(key, parts);
  assert.match(sig, /^[0-9a-f]{64}$/);
  assert.equal(verifyFrames(key, parts, sig), true);
  assert.equal(verifyFrames(key, parts, sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0')), false);
  assert.equal(verifyFrames(key, parts.slice(0, 3), sig), false);
});

// The gateway websocket codec: what a gateway may send is decoded and checked
// once; anything else is refused with a reason, never thrown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGatewayMessage, encodeGatewayMessage, MAX_GATEWAY_MESSAGE_BYTES } from './gateway-messages';
import { createMessage } from './wire-protocol';

const header = { msg_id: 'm1', msg_type: 'stream', session: 's', username: 'u', date: '2026-01-01T00:00:00Z', version: '5.3' };
const valid = { channel: 'iopub', header, parent_header: { msg_id: 'p1' }, metadata: {}, content: { name: 'stdout', text: 'hi' } };
const text = (o: unknown) => Buffer.from(JSON.stringify(o));

/** The legacy binary framing: [n][n offsets][json][buffers...]. */
function binary(json: unknown, buffers: Buffer[]): Buffer {
  const parts = [text(json), ...buffers];
  const head = Buffer.alloc(4 * (parts.length + 1));
  head.writeUInt32BE(parts.length, 0);
  let offset = head.length;
  parts.forEach((p, i) => { head.writeUInt32BE(offset, 4 * (i + 1)); offset += p.length; });
  return Buffer.concat([head, ...parts]);
}

test('a valid text message decodes with its channel, parent and content', () => {
  const r = decodeGatewayMessage(text(valid), false);
  assert.ok(r.ok);
  assert.equal(r.channel, 'iopub');
  assert.equal(r.message.header.msg_type, 'stream');
  assert.equal(r.message.parent_header.msg_id, 'p1');
  assert.deepEqual(r.message.content, { name: 'stdout', text: 'hi' });
  assert.deepEqual(r.message.buffers, []);
});

test('a null parent header or metadata (as some servers send) is read as empty', () => {
  const r = decodeGatewayMessage(text({ ...valid, parent_header: null, metadata: null }), false);
  assert.ok(r.ok);
  assert.deepEqual(r.message.parent_header, {});
  assert.deepEqual(r.message.metadata, {});
});

test('a binary message yields its JSON part and its buffers', () => {
  const r = decodeGatewayMessage(binary({ ...valid, channel: 'shell' }, [Buffer.from('abc'), Buffer.from([0, 1, 2])]), true);
  assert.ok(r.ok);
  assert.equal(r.channel, 'shell');
  assert.deepEqual(r.message.buffers.map((b) => [...b]), [[97, 98, 99], [0, 1, 2]]);
});

test('malformed messages are refused with a reason', () => {
  const cases: [Buffer, boolean, RegExp][] = [
    [Buffer.from('not json'), false, /not JSON/],
    [text([1, 2]), false, /bad message/],
    [text({ ...valid, channel: 'heartbeat' }), false, /bad message: channel/],
    [text({ ...valid, header: { ...header, msg_id: 7 } }), false, /bad message: header\.msg_id/],
    [text({ ...valid, header: { ...header, msg_type: 'x'.repeat(129) } }), false, /bad message: header\.msg_type/],
    [text({ ...valid, content: 'text' }), false, /bad message: content/],
    [text({ ...valid, parent_header: { msg_id: ['p'] } }), false, /bad message: parent_header/],
    [Buffer.from([0, 0, 0, 2, 0, 0, 0, 12, 0, 0, 0, 9]), true, /bad binary framing/],
    [Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]), true, /bad binary framing/],
    [Buffer.from([0, 0]), true, /bad binary framing/],
  ];
  for (const [data, isBinary, reason] of cases) {
    const r = decodeGatewayMessage(data, isBinary);
    assert.equal(r.ok, false, `refused: ${data.toString('utf8').slice(0, 60)}`);
    assert.match((r as { reason: string }).reason, reason);
  }
});

test('a message over the size bound is refused before it is parsed', () => {
  const r = decodeGatewayMessage(Buffer.alloc(MAX_GATEWAY_MESSAGE_BYTES + 1, 0x20), false);
  assert.deepEqual(r, { ok: false, reason: `message over ${MAX_GATEWAY_MESSAGE_BYTES} bytes` });
});

test('an outgoing message is the JSON a gateway expects, and reads back as itself', () => {
  const msg = createMessage('execute_request', { code: '1' }, { session: 's1', username: 'cellmate' });
  const frame = encodeGatewayMessage(msg, 'shell');
  assert.deepEqual(Object.keys(JSON.parse(frame)).sort(), ['buffers', 'channel', 'content', 'header', 'metadata', 'parent_header']);
  const back = decodeGatewayMessage(Buffer.from(frame), false);
  assert.ok(back.ok);
  assert.equal(back.channel, 'shell');
  assert.deepEqual(back.message.header, msg.header);
  assert.deepEqual(back.message.content, { code: '1' });
});

// The kernel side here is a set of our own ZeroMQ sockets, because a real kernel
// never sends forged or misrouted messages; everything else is real (real sockets,
// real signing). Tests against the real ipykernel live in kernel-client.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Publisher, Router } from 'zeromq';
import { KernelConnection } from './kernel-connection';
import { findFreePorts, type ConnectionInfo } from './kernel-process';
import { createMessage, serializeMessage, type JupyterMessage } from './wire-protocol';
import { waitFor } from './wait-for';

const kernelOrigin = { session: 'fake-kernel', username: 'kernel' };
let info: ConnectionInfo;
let shell: Router;
let stdin: Router;
let control: Router;
let iopub: Publisher;
let conn: KernelConnection;
const iopubSeen: JupyterMessage[] = [];
const unmatched: JupyterMessage[] = [];

before(async () => {
  const [shellPort, iopubPort, stdinPort, controlPort, hbPort] = await findFreePorts(5);
  info = {
    transport: 'tcp', ip: '127.0.0.1', shell_port: shellPort, iopub_port: iopubPort, stdin_port: stdinPort,
    control_port: controlPort, hb_port: hbPort, key: 'the-right-key', signature_scheme: 'hmac-sha256', kernel_name: 'fake',
  };
  shell = new Router({ linger: 0 });
  stdin = new Router({ linger: 0 });
  control = new Router({ linger: 0 });
  iopub = new Publisher({ linger: 0 });
  await Promise.all([
    shell.bind(`tcp://127.0.0.1:${shellPort}`),
    stdin.bind(`tcp://127.0.0.1:${stdinPort}`),
    control.bind(`tcp://127.0.0.1:${controlPort}`),
    iopub.bind(`tcp://127.0.0.1:${iopubPort}`),
  ]);
  conn = new KernelConnection(info, {
    handlers: { iopub: (m) => iopubSeen.push(m), unmatched: (_c, m) => unmatched.push(m) },
  });
});

after(() => {
  conn.close();
  for (const s of [shell, stdin, control, iopub]) s.close();
});

function frames(msgType: string, content: unknown, parent: Partial<JupyterMessage['header']>, key: string, identities: Buffer[] = []) {
  const msg = createMessage(msgType, content, kernelOrigin, parent);
  msg.identities = identities;
  return serializeMessage(msg, key);
}

test('requests are signed, carry the session as routing id, and replies are matched by parent msg_id', async () => {
  const { msg, reply } = conn.request('shell', 'kernel_info_request', {});
  const [identity, ...rest] = await shell.receive();
  assert.equal(identity.toString(), conn.origin.session);
  assert.equal(JSON.parse(rest[2].toString()).msg_id, msg.header.msg_id);
  // A reply to some other request does not resolve this one.
  await shell.send(frames('kernel_info_reply', { other: true }, { msg_id: 'someone-else' }, info.key, [identity]));
  await shell.send(frames('kernel_info_reply', { mine: true }, msg.header, info.key, [identity]));
  const got = await reply;
  assert.deepEqual(got.content, { mine: true });
  assert.deepEqual(unmatched.map((m) => m.content), [{ other: true }]);
});

test('a shell reply with a forged signature is dropped and counted; the genuine one still arrives', async () => {
  const before = conn.droppedMessages;
  const { msg, reply } = conn.request('shell', 'complete_request', { code: 'x', cursor_pos: 1 });
  const [identity] = await shell.receive();
  await shell.send(frames('complete_reply', { forged: true }, msg.header, 'the-wrong-key', [identity]));
  await shell.send(frames('complete_reply', { genuine: true }, msg.header, info.key, [identity]));
  assert.deepEqual((await reply).content, { genuine: true });
  assert.equal(conn.droppedMessages, before + 1);
});

test('an iopub message with a forged signature is dropped and counted, never delivered', async () => {
  // Subscriptions join late: publish until one genuine message got through.
  const probe = { msg_id: 'probe' };
  await waitFor(() => {
    void iopub.send(frames('status', { execution_state: 'idle' }, probe, info.key, [Buffer.from('kernel.status')]));
    return iopubSeen.length > 0;
  }, 10_000, 'the iopub subscription');
  const before = conn.droppedMessages;
  await iopub.send(frames('stream', { name: 'stdout', text: 'forged' }, probe, 'the-wrong-key', [Buffer.from('kernel.stream')]));
  await iopub.send(frames('stream', { name: 'stdout', text: 'genuine' }, probe, info.key, [Buffer.from('kernel.stream')]));
  await waitFor(() => iopubSeen.some((m) => m.content.text === 'genuine'), 10_000, 'the genuine stream message');
  assert.equal(conn.droppedMessages, before + 1);
  assert.ok(!iopubSeen.some((m) => m.content.text === 'forged'));
});

test('closing rejects pending requests with the reason and later sends fail', async () => {
  const other = new KernelConnection(info);
  const { reply } = other.request('control', 'interrupt_request', {});
  other.close('kernel went away');
  await assert.rejects(reply, /kernel went away/);
  await assert.rejects(other.sendMessage('shell', createMessage('x', {}, other.origin)), /closed/);
  const late = other.request('shell', 'kernel_info_request', {});
  await assert.rejects(late.reply, /closed/);
});

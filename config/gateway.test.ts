// The kernel gateway settings: read from the environment, checked, with clear refusals.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { kernelGatewaySettings, parseGatewayUrl } from './gateway';

const names = ['KERNEL_GATEWAY_URL', 'KERNEL_GATEWAY_TOKEN', 'KERNEL_GATEWAY_REQUEST_TIMEOUT_SECONDS', 'KERNEL_GATEWAY_START_TIMEOUT_SECONDS'];
const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
afterEach(() => {
  for (const n of names) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

test('no KERNEL_GATEWAY_URL: no gateway', () => {
  delete process.env.KERNEL_GATEWAY_URL;
  assert.equal(kernelGatewaySettings(), null);
  process.env.KERNEL_GATEWAY_URL = '  ';
  assert.equal(kernelGatewaySettings(), null);
});

test('a gateway URL with its token and the default deadlines', () => {
  process.env.KERNEL_GATEWAY_URL = 'https://gw.example.org/base/';
  process.env.KERNEL_GATEWAY_TOKEN = ' s3cret ';
  delete process.env.KERNEL_GATEWAY_REQUEST_TIMEOUT_SECONDS;
  delete process.env.KERNEL_GATEWAY_START_TIMEOUT_SECONDS;
  assert.deepEqual(kernelGatewaySettings(), { url: 'https://gw.example.org/base', token: 's3cret', requestTimeoutMs: 10_000, startTimeoutMs: 120_000 });
  process.env.KERNEL_GATEWAY_REQUEST_TIMEOUT_SECONDS = '2.5';
  assert.equal(kernelGatewaySettings()?.requestTimeoutMs, 2_500);
  process.env.KERNEL_GATEWAY_START_TIMEOUT_SECONDS = '0';
  assert.throws(() => kernelGatewaySettings(), /KERNEL_GATEWAY_START_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 3600, got "0"/);
});

test('URLs that are not a gateway base URL are refused, naming what is wrong', () => {
  assert.throws(() => parseGatewayUrl('gw.example.org:8888'), /must be an http:\/\/ or https:\/\/ URL/);
  assert.throws(() => parseGatewayUrl('ws://gw.example.org'), /must be an http:\/\/ or https:\/\/ URL/);
  assert.throws(() => parseGatewayUrl('https://user:pw@gw.example.org'), /must not carry credentials; put the token in KERNEL_GATEWAY_TOKEN/);
  assert.throws(() => parseGatewayUrl('https://gw.example.org/?token=x'), /without a query or fragment/);
  assert.equal(parseGatewayUrl('http://127.0.0.1:8888'), 'http://127.0.0.1:8888');
});

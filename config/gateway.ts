// The kernel gateway settings: where a remote Jupyter kernel gateway is (Jupyter
// Server, Jupyter Kernel Gateway or Jupyter Enterprise Gateway), how the bridge
// proves itself to it, and how long it may wait for it. Unset KERNEL_GATEWAY_URL
// means kernels run on this machine.
import { numberSetting, rawSetting } from './setting';

/** A kernel gateway as the bridge reaches it. */
export interface KernelGatewaySettings {
  /** Base URL of the gateway's HTTP API, without a trailing slash (e.g. `https://gw.example/base`). */
  url: string;
  /** Sent as `Authorization: token <token>` on every request and websocket; '' sends none. */
  token: string;
  /** Longest any REST request, or a websocket's opening handshake, may take. */
  requestTimeoutMs: number;
  /** Longest `POST /api/kernels` may take: a gateway that launches kernels in pods or containers needs longer. */
  startTimeoutMs: number;
}

const seconds = (name: string, fallback: number, max: number) =>
  numberSetting(name, fallback, (n) => n > 0 && n <= max, `a number of seconds above 0 and at most ${max}`);

/** Checks a gateway base URL; throws a message naming what is wrong with it. */
export function parseGatewayUrl(raw: string, name = 'KERNEL_GATEWAY_URL'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`${name} must be an http:// or https:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http:// or https:// URL, got "${raw}"`);
  if (url.username || url.password) throw new Error(`${name} must not carry credentials; put the token in KERNEL_GATEWAY_TOKEN`);
  if (url.search || url.hash) throw new Error(`${name} must be the gateway's base URL, without a query or fragment, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

/**
 * `KERNEL_GATEWAY_URL`, `KERNEL_GATEWAY_TOKEN`, `KERNEL_GATEWAY_REQUEST_TIMEOUT_SECONDS`
 * (default 10) and `KERNEL_GATEWAY_START_TIMEOUT_SECONDS` (default 120); null when no
 * gateway is configured.
 */
export function kernelGatewaySettings(): KernelGatewaySettings | null {
  const raw = rawSetting('KERNEL_GATEWAY_URL');
  if (raw === undefined) return null;
  return {
    url: parseGatewayUrl(raw),
    token: rawSetting('KERNEL_GATEWAY_TOKEN') ?? '',
    requestTimeoutMs: seconds('KERNEL_GATEWAY_REQUEST_TIMEOUT_SECONDS', 10, 600) * 1000,
    startTimeoutMs: seconds('KERNEL_GATEWAY_START_TIMEOUT_SECONDS', 120, 3600) * 1000,
  };
}

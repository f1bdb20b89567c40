// How kernels are started and isolated: the settings of the local kernel
// providers (kernel-bridge/kernel-provider.ts), read from the environment here only.
//
//   KERNEL_SANDBOX          'sandbox' (default): each kernel in its own bubblewrap
//                           sandbox; 'none': plain processes of the bridge's user
//                           (an explicit operator choice, warned about at start and
//                           shown in the kernel status).
//   KERNEL_SANDBOX_UID/GID  the unprivileged user and group kernels run as outside
//                           their sandbox when the bridge runs as root (default
//                           61000; one per installation, used by nothing else).
//   KERNEL_SANDBOX_NETWORK  'none' (default) or 'outbound': internet access through
//                           user-mode networking (pasta), never the host's loopback.
//   KERNEL_CPU_LIMIT        CPUs' worth of time per kernel (default 1; 0: none).
//   KERNEL_MAX_PROCESSES    processes and threads per kernel (default 512; 0: none).
const sandboxKinds = ['sandbox', 'none'] as const;
export type SandboxKind = (typeof sandboxKinds)[number];
const networkModes = ['none', 'outbound'] as const;

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase() as T;
  if (!allowed.includes(value)) throw new Error(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got "${raw}"`);
  return value;
}

function number(name: string, fallback: number, { min, max, integer }: { min: number; max: number; integer: boolean }): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new Error(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** The default kernel uid/gid: high, in the range Debian leaves to local administrators, used by nothing else here. */
export const defaultSandboxId = 61000;

export const kernelConfig = {
  /** How local kernels are isolated: 'sandbox' (bubblewrap) or 'none'. */
  get sandbox(): SandboxKind { return oneOf('KERNEL_SANDBOX', sandboxKinds, 'sandbox'); },
  get sandboxUid(): number { return number('KERNEL_SANDBOX_UID', defaultSandboxId, { min: 1, max: 2 ** 31 - 2, integer: true }); },
  get sandboxGid(): number { return number('KERNEL_SANDBOX_GID', kernelConfig.sandboxUid, { min: 1, max: 2 ** 31 - 2, integer: true }); },
  /** Outbound network for sandboxed kernels. */
  get outboundNetwork(): boolean { return oneOf('KERNEL_SANDBOX_NETWORK', networkModes, 'none') === 'outbound'; },
  get cpuLimit(): number { return number('KERNEL_CPU_LIMIT', 1, { min: 0, max: 1024, integer: false }); },
  get maxProcesses(): number { return number('KERNEL_MAX_PROCESSES', 512, { min: 0, max: 1_000_000, integer: true }); },
};

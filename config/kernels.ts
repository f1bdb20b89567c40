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
import { choiceSetting, isBetween, isWhole, numberSetting } from './setting';

const sandboxKinds = ['sandbox', 'none'] as const;
export type SandboxKind = (typeof sandboxKinds)[number];
const networkModes = ['none', 'outbound'] as const;
const whole = (min: number, max: number) => [isWhole(min, max), `a whole number from ${min} to ${max}`] as const;
const number = (name: string, fallback: number, [valid, requirement]: readonly [(n: number) => boolean, string]) => numberSetting(name, fallback, valid, requirement);

/** The default kernel uid/gid: high, in the range Debian leaves to local administrators, used by nothing else here. */
export const defaultSandboxId = 61000;

export const kernelConfig = {
  /** How local kernels are isolated: 'sandbox' (bubblewrap) or 'none'. */
  get sandbox(): SandboxKind { return choiceSetting('KERNEL_SANDBOX', sandboxKinds, 'sandbox'); },
  get sandboxUid(): number { return number('KERNEL_SANDBOX_UID', defaultSandboxId, whole(1, 2 ** 31 - 2)); },
  get sandboxGid(): number { return number('KERNEL_SANDBOX_GID', kernelConfig.sandboxUid, whole(1, 2 ** 31 - 2)); },
  /** Outbound network for sandboxed kernels. */
  get outboundNetwork(): boolean { return choiceSetting('KERNEL_SANDBOX_NETWORK', networkModes, 'none') === 'outbound'; },
  get cpuLimit(): number { return number('KERNEL_CPU_LIMIT', 1, [isBetween(0, 1024), 'a number from 0 to 1024']); },
  get maxProcesses(): number { return number('KERNEL_MAX_PROCESSES', 512, whole(0, 1_000_000)); },
};

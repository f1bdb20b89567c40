// How kernels are started and isolated: the settings of the kernel providers
// (kernel-bridge/kernel-provider.ts), read from the environment here only.
//
//   KERNEL_SANDBOX   'none': kernels run as plain processes of the bridge's user
//                    (an explicit operator choice, warned about at start and
//                    shown in the kernel status).
const sandboxKinds = ['sandbox', 'none'] as const;
export type SandboxKind = (typeof sandboxKinds)[number];

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase() as T;
  if (!allowed.includes(value)) throw new Error(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got "${raw}"`);
  return value;
}

export const kernelConfig = {
  /** How local kernels are isolated: 'sandbox' (bubblewrap) or 'none'. */
  get sandbox(): SandboxKind { return oneOf('KERNEL_SANDBOX', sandboxKinds, 'none'); },
};

// The kernel provider this installation's settings (config/kernels.ts) ask for,
// made once per process: the bridge, Save & run all and `nb run` share it. A
// kernel gateway (config/gateway.ts), when one is set, takes precedence over
// the local kinds.
import { kernelGatewaySettings } from '../config/gateway';
import { kernelConfig } from '../config/kernels';
import { GatewayProvider } from './gateway-provider';
import type { KernelProvider } from './kernel-provider';
import { unsandboxedProvider, type LocalProviderOptions } from './local-provider';
import { sandboxedProvider } from './sandbox-provider';

let provider: KernelProvider | undefined;

/** The configured provider. */
export function defaultKernelProvider(): KernelProvider {
  if (!provider) {
    const gateway = kernelGatewaySettings();
    provider = gateway ? new GatewayProvider(gateway) : configuredLocalProvider();
  }
  return provider;
}

/** A local provider of the configured kind (sandboxed or not), with these options (tests use other kernelspec dirs). */
export function configuredLocalProvider(options: LocalProviderOptions = {}): KernelProvider {
  switch (kernelConfig.sandbox) {
    case 'none':
      return unsandboxedProvider(options);
    case 'sandbox':
      return sandboxedProvider({
        ...options,
        settings: {
          uid: kernelConfig.sandboxUid,
          gid: kernelConfig.sandboxGid,
          outbound: kernelConfig.outboundNetwork,
          cpus: kernelConfig.cpuLimit,
          maxProcesses: kernelConfig.maxProcesses,
        },
      });
  }
}

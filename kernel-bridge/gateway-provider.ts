// Kernels on a Jupyter kernel gateway (Jupyter Server, Jupyter Kernel Gateway,
// Jupyter Enterprise Gateway): the KernelProvider used when KERNEL_GATEWAY_URL
// is set. Kernelspecs are the gateway's; each started kernel is a GatewayKernel.
//
// Why not @jupyterlab/services (JupyterLab's own client of this API)? Tried on
// Node 20 with `ws`: it starts kernels and runs code there, but
//  - a message that fails its validation is rethrown from inside the websocket's
//    message handler ("so that it bubbles up to the top"): under Node that is an
//    uncaught exception, i.e. a hostile or broken gateway could crash the bridge;
//  - its REST calls have no deadline, and its socket reconnects and restarts by
//    its own policy and status model, which would fight the client's;
//  - it answers with futures per execution, while KernelChannels needs plain
//    request/reply matching under the client's own bookkeeping;
//  - it brings 47 packages (a second yjs, react through @rjsf) into the bridge.
// The REST calls and the JSON websocket format are small and documented; they
// are written here (gateway-client.ts, gateway-messages.ts, gateway-channels.ts).
//
// What the provider cannot do on a gateway: the notebook's local working folder
// and the bridge's memory limit do not reach a remote kernel; the gateway's own
// configuration decides where a kernel runs, what it may write and how much
// memory it gets.
import type { KernelGatewaySettings } from '../config/gateway';
import { GatewayClient, GatewayError } from './gateway-client';
import { defaultGatewayKernelTiming, GatewayKernel, type GatewayKernelTiming } from './gateway-kernel';
import { chooseKernelSpec } from './kernelspec-choice';
import type { KernelLocator, KernelProvider, KernelStartOptions, ProvidedKernel, ProvidedKernelSpec } from './kernel-provider';

export class GatewayProvider implements KernelProvider {
  readonly client: GatewayClient;
  private readonly timing: GatewayKernelTiming;

  constructor(settings: KernelGatewaySettings, timing: Partial<GatewayKernelTiming> = {}) {
    this.client = new GatewayClient(settings);
    this.timing = { ...defaultGatewayKernelTiming, ...timing };
  }

  /** The gateway's base URL. */
  get url(): string {
    return this.client.url;
  }

  listSpecs(): Promise<ProvidedKernelSpec[]> {
    return this.client.listSpecs();
  }

  async start(specName: string, options: KernelStartOptions): Promise<ProvidedKernel> {
    const spec = chooseKernelSpec(await this.client.listSpecs(), specName, `the kernel gateway at ${this.url}`);
    const model = await this.client.startKernel(spec.name, options.env);
    return new GatewayKernel(this.client, model.id, spec, this.timing);
  }

  /**
   * The kernel `locator` names, started by another bridge, if the gateway still
   * has it: its channels reopen under the same session id, so the gateway
   * replays what the kernel said while nobody was connected.
   */
  async reconnect(locator: KernelLocator, specName: string): Promise<ProvidedKernel> {
    const model = await this.client.kernel(locator.kernelId);
    if (!model || model.execution_state === 'dead') {
      throw new GatewayError('gone', `the kernel is no longer on the kernel gateway at ${this.url} (the gateway restarted, or the kernel was shut down there), so what it held and the run it was doing are lost`);
    }
    const specs = await this.client.listSpecs();
    const spec = specs.find((s) => s.name === model.name) ?? chooseKernelSpec(specs, specName, `the kernel gateway at ${this.url}`);
    return new GatewayKernel(this.client, model.id, spec, this.timing, locator.sessionId);
  }
}

// Kernels as processes on this machine, from the kernelspecs installed here
// (kernelspecs.ts): the 'none' provider runs them as plain processes of the
// bridge's user, with the bridge's environment (what Cellmate did before the
// sandbox; only when the operator says so).
import type { KernelProvider, KernelStartOptions, ProvidedKernelSpec } from './kernel-provider';
import { KernelProcess } from './kernel-process';
import { findKernelSpec, jupyterDataDirs, listKernelSpecs, type KernelSpec } from './kernelspecs';
import { LocalKernel, type HeartbeatSettings } from './local-kernel';

export interface LocalProviderOptions {
  /** Data dirs to search for kernelspecs instead of the Jupyter defaults. */
  kernelSpecDirs?: string[];
  heartbeat?: HeartbeatSettings;
}

/** What a provider offers of a local kernelspec. */
export function providedSpec(spec: KernelSpec): ProvidedKernelSpec {
  return { name: spec.name, displayName: spec.displayName, language: spec.language, interruptMode: spec.interruptMode };
}

/** Unsandboxed local kernels (KERNEL_SANDBOX=none). */
export function unsandboxedProvider(options: LocalProviderOptions = {}): KernelProvider {
  const dirs = () => options.kernelSpecDirs ?? jupyterDataDirs();
  return {
    async listSpecs() {
      return (await listKernelSpecs(dirs())).specs.map(providedSpec);
    },
    async start(specName: string, start: KernelStartOptions) {
      const spec = await findKernelSpec(specName, dirs());
      const proc = await KernelProcess.launch(spec, {
        cwd: start.workDir,
        env: {
          ...start.env,
          // ipykernel exits by itself if this process goes away (it polls its parent).
          JPY_PARENT_PID: String(process.pid),
        },
        memoryLimitMb: start.memoryLimitMb,
      });
      return new LocalKernel(proc, providedSpec(spec), {
        isolation: { sandboxed: false, description: 'not sandboxed (KERNEL_SANDBOX=none): the kernel runs as the bridge\'s user' },
      }, options.heartbeat);
    },
  };
}

// The one place that decides which kernelspec a name (or a notebook) means,
// among those a provider offers: the live sessions, Save & run all, `nb run`
// and the local provider's own lookup all choose here.
//
// Rules: a name matches case-insensitively (Jupyter's kernelspec names are);
// with no name, the first Python kernel, else the first kernel at all.
import type { ProvidedKernelSpec } from './kernel-provider';

/** The notebook (or the caller) asks for a kernelspec that is not installed. */
export class KernelSpecNotFoundError extends Error {
  readonly code = 'kernelspec-not-found';
  constructor(readonly wanted: string, readonly installed: string[], where = '') {
    super(`no kernelspec named "${wanted}"${where ? ` (searched ${where})` : ''} (available: ${installed.join(', ') || 'none'})`);
    this.name = 'KernelSpecNotFoundError';
  }
}

/** No kernelspec is installed at all. */
export class NoKernelInstalledError extends Error {
  readonly code = 'no-kernel-installed';
  constructor() {
    super('No Jupyter kernel is installed (install ipykernel: apt-get install python3-ipykernel).');
    this.name = 'NoKernelInstalledError';
  }
}

/** The spec called `wanted`, or with no name the first Python one; throws the errors above. */
export function chooseKernelSpec<S extends Pick<ProvidedKernelSpec, 'name' | 'language'>>(specs: readonly S[], wanted?: string, where = ''): S {
  if (wanted) {
    const spec = specs.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
    if (spec) return spec;
    throw new KernelSpecNotFoundError(wanted, specs.map((s) => s.name), where);
  }
  const python = specs.find((s) => s.language.toLowerCase() === 'python') ?? specs[0];
  if (!python) throw new NoKernelInstalledError();
  return python;
}

// The one place that decides which kernelspec a name (or a notebook) means,
// among those a provider offers: the live sessions, Save & run all, `nb run`
// and the local provider's own lookup all choose here. The live sessions' two
// questions (the notebook's kernel, a kernel chosen by name) refuse as
// KernelRefusal, with a message for the person who asked.
//
// Rules: a name matches case-insensitively (Jupyter's kernelspec names are);
// with no name, the first Python kernel, else the first kernel at all.
import type { ProvidedKernelSpec } from './kernel-provider';
import { KernelRefusal } from './kernel-refusal';

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

type SpecLike = Pick<ProvidedKernelSpec, 'name' | 'language'>;

/** The kernelspec a notebook's `metadata.kernelspec.name` (`wanted`) asks for, else the first Python one. */
export function notebookKernelSpec<S extends SpecLike>(specs: readonly S[], wanted: string | undefined): S {
  try {
    return chooseKernelSpec(specs, wanted);
  } catch (err) {
    if (err instanceof KernelSpecNotFoundError) {
      throw new KernelRefusal('notebook-kernelspec-missing', `This notebook uses the kernel "${err.wanted}", which is not installed here. Change the kernel to one of: ${err.installed.join(', ') || 'none installed'}.`, { installed: err.installed });
    }
    if (err instanceof NoKernelInstalledError) throw new KernelRefusal('no-kernel-installed', 'No Jupyter kernel is installed on the server; install ipykernel (python3-ipykernel).');
    throw err;
  }
}

/** The installed kernelspec called `name` (Change kernel), or a refusal naming those installed. */
export function installedKernelSpec<S extends SpecLike>(specs: readonly S[], name: string): S {
  try {
    return chooseKernelSpec(specs, name);
  } catch (err) {
    if (!(err instanceof KernelSpecNotFoundError)) throw err;
    throw new KernelRefusal('no-such-kernelspec', `No kernel named "${name}" is installed. Installed kernels: ${err.installed.join(', ') || 'none'}.`, { installed: err.installed });
  }
}

// Kernelspec discovery, the way Jupyter does it: look in each data directory's
// `kernels/<name>/kernel.json`, in precedence order, and let the first directory
// that has a name win. A broken kernel.json is reported, never fatal for the others.
//
// Search order: $JUPYTER_PATH entries, the user data dir ($JUPYTER_DATA_DIR or
// ~/.local/share/jupyter), the active environment's prefix (virtualenv/conda),
// then the system prefixes /usr/local/share/jupyter and /usr/share/jupyter.
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { InterruptMode } from './kernel-provider';
import { chooseKernelSpec, KernelSpecNotFoundError } from './kernelspec-choice';


export interface KernelSpec {
  /** Directory name under `kernels/`, e.g. `python3`. */
  name: string;
  /** The folder holding kernel.json (substituted for `{resource_dir}` in argv). */
  resourceDir: string;
  argv: string[];
  displayName: string;
  language: string;
  interruptMode: InterruptMode;
  env: Record<string, string>;
  metadata: Record<string, unknown>;
}

/** A kernel.json that could not be used, with why. */
export interface KernelSpecProblem {
  name: string;
  path: string;
  error: string;
}

export interface KernelSpecListing {
  specs: KernelSpec[];
  problems: KernelSpecProblem[];
}

type Env = Record<string, string | undefined>;

/** The Jupyter data directories, highest precedence first. */
export function jupyterDataDirs(env: Env = process.env): string[] {
  const dirs: string[] = [];
  for (const entry of (env.JUPYTER_PATH ?? '').split(delimiter)) if (entry) dirs.push(entry);
  dirs.push(env.JUPYTER_DATA_DIR || join(env.HOME || homedir(), '.local', 'share', 'jupyter'));
  for (const prefix of [env.VIRTUAL_ENV, env.CONDA_PREFIX]) if (prefix) dirs.push(join(prefix, 'share', 'jupyter'));
  dirs.push('/usr/local/share/jupyter', '/usr/share/jupyter');
  return [...new Set(dirs)];
}

/** Validates a parsed kernel.json; throws an Error naming the bad field. */
export function parseKernelSpec(raw: unknown, name: string, resourceDir: string): KernelSpec {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('kernel.json must hold a JSON object');
  const o = raw as Record<string, unknown>;
  const argv = o.argv;
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
    throw new Error('"argv" must be a non-empty array of strings');
  }
  if (typeof o.display_name !== 'string' || o.display_name === '') throw new Error('"display_name" must be a non-empty string');
  if (typeof o.language !== 'string' || o.language === '') throw new Error('"language" must be a non-empty string');
  const interruptMode = o.interrupt_mode ?? 'signal';
  if (interruptMode !== 'signal' && interruptMode !== 'message') {
    throw new Error(`"interrupt_mode" must be "signal" or "message", got ${JSON.stringify(interruptMode)}`);
  }
  const env = o.env ?? {};
  if (typeof env !== 'object' || Array.isArray(env) || !Object.values(env as object).every((v) => typeof v === 'string')) {
    throw new Error('"env" must be an object of string values');
  }
  const metadata = o.metadata ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new Error('"metadata" must be an object');
  return {
    name,
    resourceDir,
    argv: argv as string[],
    displayName: o.display_name,
    language: o.language,
    interruptMode,
    env: env as Record<string, string>,
    metadata: metadata as Record<string, unknown>,
  };
}

async function readSpec(name: string, resourceDir: string): Promise<KernelSpec> {
  const path = join(resourceDir, 'kernel.json');
  const text = await readFile(path, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
  return parseKernelSpec(raw, name, resourceDir);
}

/** Every kernelspec visible from `dirs` (default: the Jupyter data dirs). */
export async function listKernelSpecs(dirs: string[] = jupyterDataDirs()): Promise<KernelSpecListing> {
  const specs: KernelSpec[] = [];
  const problems: KernelSpecProblem[] = [];
  const seen = new Set<string>();
  for (const dataDir of dirs) {
    const kernelsDir = join(dataDir, 'kernels');
    let names: string[];
    try {
      names = (await readdir(kernelsDir, { withFileTypes: true })).filter((d) => d.isDirectory() || d.isSymbolicLink()).map((d) => d.name).sort();
    } catch {
      continue; // a missing data dir is normal
    }
    for (const name of names) {
      if (seen.has(name.toLowerCase())) continue;
      const resourceDir = join(kernelsDir, name);
      try {
        specs.push(await readSpec(name, resourceDir));
        seen.add(name.toLowerCase());
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ENOENT') continue; // a folder without kernel.json is not a kernelspec
        seen.add(name.toLowerCase()); // a broken higher-precedence spec still shadows lower ones
        problems.push({ name, path: join(resourceDir, 'kernel.json'), error: `kernelspec "${name}" at ${join(resourceDir, 'kernel.json')} is unusable: ${e.message}` });
      }
    }
  }
  return { specs, problems };
}

/** The kernelspec called `name`; throws a message listing what is available, or why that one is unusable. */
export async function findKernelSpec(name: string, dirs: string[] = jupyterDataDirs()): Promise<KernelSpec> {
  const { specs, problems } = await listKernelSpecs(dirs);
  try {
    return chooseKernelSpec(specs, name, dirs.map((d) => join(d, 'kernels')).join(', '));
  } catch (err) {
    const problem = problems.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (err instanceof KernelSpecNotFoundError && problem) throw new Error(problem.error);
    throw err;
  }
}

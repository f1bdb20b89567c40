// Runs a whole notebook top to bottom in a fresh kernel, headless, the way
// `jupyter nbconvert --execute` (nbclient) does, through the same cell runner
// and output writer as the shared bridge, on a local Yjs document.
//
// Behaviour kept from nbclient, so results compare cell for cell:
// - markdown/raw cells, code cells whose source is blank and cells tagged
//   `skip-execution` are left exactly as they are;
// - input() is not available (the kernel raises instead of waiting);
// - the first error stops the run unless errors are allowed (globally, or for
//   one cell by its `raises-exception` tag); the error names the cell;
// - `metadata.language_info` is taken from the kernel.
// The kernel is shut down in every case.
import type * as Y from 'yjs';
import { defaultKernelProvider } from './default-kernel-provider';
import { KernelClient } from './kernel-client';
import type { KernelProvider, ProvidedKernelSpec } from './kernel-provider';
import { chooseKernelSpec } from './kernelspec-choice';
import { runCell } from './cell-runner';
import { startKernelSession } from '../notebook-model/run-record';
import {
  cellIdOf, cellMetadataOf, cellTypeOf, cellsOf, docToNotebook, findCell, notebookToDoc, outputsOf, outputToJSON,
  setNotebookMetadata, sourceOf, type YCell,
} from '../notebook-model';
import type { NotebookJSON } from '../notebook-model/nbformat/types';

export interface NotebookRunOptions {
  /** Kernelspec to use instead of the notebook's `metadata.kernelspec.name`. */
  kernelName?: string;
  /** Longest a single cell may run, in milliseconds; none by default. */
  cellTimeoutMs?: number;
  /** Record errors as outputs and keep going instead of stopping at the first. */
  allowErrors?: boolean;
  /** The kernel's working folder (nbconvert uses the notebook's folder; default: a private temporary one). */
  cwd?: string;
  /** Largest output one cell may write (see OutputWriter). */
  maxOutputBytes?: number;
  /** Where the kernel comes from (default: the configured provider, sandboxed unless the operator said otherwise). */
  provider?: KernelProvider;
  /** Ceiling on the kernel's memory in MB; 0 or absent: none. */
  memoryLimitMb?: number;
  /** Stops the run (the kernel is shut down and a NotebookRunError thrown). */
  signal?: AbortSignal;
  /** Told before each code cell runs. */
  onCellStart?: (cell: { index: number; id: string; codeCellNumber: number; codeCellCount: number }) => void;
}

export type NotebookRunFailure = 'cell-error' | 'timeout' | 'kernel-died' | 'kernel-unavailable' | 'cancelled';

/**
 * Why a run stopped early. `notebook` holds the outputs of the cells that did
 * run. `message` is nbclient's long form (the cell's source, the traceback);
 * `summary` is one line for a list ("ZeroDivisionError: division by zero in cell 8").
 */
export class NotebookRunError extends Error {
  readonly summary: string;

  constructor(
    message: string,
    readonly failure: NotebookRunFailure,
    readonly notebook: NotebookJSON | null,
    readonly cell?: { index: number; id: string },
    summary?: string,
  ) {
    super(message);
    this.name = 'NotebookRunError';
    this.summary = summary ?? message.split('\n')[0];
  }
}

/** The notebook after running every code cell; the input is not modified. */
export async function runNotebook(nb: NotebookJSON, options: NotebookRunOptions = {}): Promise<NotebookJSON> {
  const provider = options.provider ?? defaultKernelProvider();
  const spec = await kernelSpecFor(nb, provider, options);
  let client: KernelClient;
  try {
    client = await KernelClient.start({ provider, specName: spec.name, cwd: options.cwd, memoryLimitMb: options.memoryLimitMb });
  } catch (err) {
    throw new NotebookRunError(`The kernel "${spec.name}" could not start: ${(err as Error).message}`, 'kernel-unavailable', null);
  }
  const doc = notebookToDoc(nb);
  // A fresh kernel: the runs recorded here are on a session of their own.
  startKernelSession(doc);
  try {
    const languageInfo = client.kernelInfo?.language_info;
    if (languageInfo && typeof languageInfo === 'object') setNotebookMetadata(doc, 'language_info', languageInfo);
    await runCells(client, doc, options);
    return docToNotebook(doc);
  } finally {
    await client.shutdown();
    doc.destroy();
  }
}

async function runCells(client: KernelClient, doc: Y.Doc, options: NotebookRunOptions): Promise<void> {
  const toRun = cellsOf(doc).toArray()
    .map((cell, index) => ({ cell, index }))
    .filter(({ cell }) => cellTypeOf(cell) === 'code' && sourceOf(cell).toString().trim() !== '' && !tagsOf(cell).includes('skip-execution'));
  let number = 0;
  for (const { cell, index } of toRun) {
    const id = cellIdOf(cell);
    const where = { index, id };
    const label = `cell ${index + 1} (id "${id}")`;
    if (options.signal?.aborted) throw new NotebookRunError(`The run was cancelled before ${label}.`, 'cancelled', docToNotebook(doc), where);
    options.onCellStart?.({ index, id, codeCellNumber: ++number, codeCellCount: toRun.length });

    const stop = new AbortController();
    const cancel = () => stop.abort(new Error('cancelled'));
    options.signal?.addEventListener('abort', cancel, { once: true });
    const timer = options.cellTimeoutMs ? setTimeout(() => stop.abort(new Error('timeout')), options.cellTimeoutMs) : undefined;
    const outcome = await runCell(client, doc, id, { signal: stop.signal, maxOutputBytes: options.maxOutputBytes }).finally(() => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
    });

    if (outcome.status === 'aborted') {
      if (options.signal?.aborted) throw new NotebookRunError(`The run was cancelled while ${label} was running.`, 'cancelled', docToNotebook(doc), where);
      await client.interrupt().catch(() => {});
      throw new NotebookRunError(
        `${capitalize(label)} did not finish within ${options.cellTimeoutMs! / 1000} s, the per-cell timeout; the run was stopped.\n${sourceExcerpt(doc, id)}`,
        'timeout', docToNotebook(doc), where,
      );
    }
    if (outcome.status === 'dead') {
      throw new NotebookRunError(`The kernel died while running ${label}: ${outcome.reason ?? 'unknown reason'}\n${sourceExcerpt(doc, id)}`, 'kernel-died', docToNotebook(doc), where);
    }
    if (outcome.status === 'error' && !options.allowErrors && !tagsOf(cell).includes('raises-exception')) {
      const exception = exceptionOf(doc, id);
      throw new NotebookRunError(
        `An error occurred while executing ${label}:\n${sourceExcerpt(doc, id)}\n\n${errorText(doc, id) ?? outcome.reason ?? ''}`.trimEnd(),
        'cell-error', docToNotebook(doc), where,
        `${exception ?? outcome.reason ?? 'an error'} in cell ${index + 1}`,
      );
    }
  }
}

/** The explicit kernel, else the notebook's, else the first installed Python kernel. */
async function kernelSpecFor(nb: NotebookJSON, provider: KernelProvider, options: NotebookRunOptions): Promise<ProvidedKernelSpec> {
  const wanted = options.kernelName ?? nb.metadata?.kernelspec?.name;
  try {
    return chooseKernelSpec(await provider.listSpecs(), wanted);
  } catch (err) {
    const how = wanted && !options.kernelName ? ' The notebook asks for it in metadata.kernelspec; choose another with --kernel.' : '';
    throw new NotebookRunError(`${(err as Error).message}.${how}`, 'kernel-unavailable', null);
  }
}

function tagsOf(cell: YCell): string[] {
  const tags = cellMetadataOf(cell).get('tags');
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

const SOURCE_LINES = 20;
const rule = '-'.repeat(18);

/** The cell's source between rules, like nbclient's error message. */
function sourceExcerpt(doc: Y.Doc, id: string): string {
  const cell = findCell(doc, id);
  const lines = cell ? sourceOf(cell).toString().split('\n') : [];
  const shown = lines.length > SOURCE_LINES ? [...lines.slice(0, SOURCE_LINES), `... (${lines.length - SOURCE_LINES} more lines)`] : lines;
  return `${rule}\n${shown.join('\n')}\n${rule}`;
}

/** The cell's exception as Python prints its last line: "ZeroDivisionError: division by zero". */
function exceptionOf(doc: Y.Doc, id: string): string | undefined {
  const cell = findCell(doc, id);
  if (!cell) return undefined;
  for (const output of outputsOf(cell)) {
    const json = outputToJSON(output);
    if (json.output_type === 'error') return json.evalue ? `${json.ename}: ${json.evalue}` : json.ename;
  }
  return undefined;
}

/** The cell's error output as plain text (traceback without ANSI colours). */
function errorText(doc: Y.Doc, id: string): string | undefined {
  const cell = findCell(doc, id);
  if (!cell) return undefined;
  for (const output of outputsOf(cell)) {
    const json = outputToJSON(output);
    if (json.output_type !== 'error') continue;
    const traceback = json.traceback.join('\n').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    return traceback || `${json.ename}: ${json.evalue}`;
  }
  return undefined;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

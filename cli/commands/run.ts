// `nb run <file.ipynb>`: runs a notebook top to bottom in a fresh kernel and
// writes it with its outputs, like `jupyter nbconvert --to notebook --execute`.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { NotebookFormatError, parseNotebook, serializeNotebook } from '../../notebook-model/nbformat';
import { NotebookRunError, runNotebook } from '../../kernel-bridge/notebook-runner';
import { parseOptions, UsageError, type Command } from './command';

const usage = `usage: nb run <file.ipynb> [-o OUT.ipynb] [--kernel NAME] [--timeout SECONDS] [--allow-errors]

Runs every code cell of the notebook, top to bottom, in a fresh kernel started
in the notebook's folder, and writes the notebook with its outputs.

  -o, --output FILE   where to write; "-" for standard output
                      (default: <name>.nbconvert.ipynb beside the input, as nbconvert does;
                      the input file is never overwritten unless you name it here)
  --kernel NAME       kernelspec to run with (default: the notebook's
                      metadata.kernelspec, else the first installed Python kernel)
  --timeout SECONDS   stop when a single cell runs longer than this (default: no limit)
  --allow-errors      keep going when a cell raises; its error stays in the outputs

Exit status: 0 when every cell ran; 1 when a cell failed, timed out or the kernel
died (the message names the cell, and the notebook as far as it ran is written
to the output anyway); 2 for usage errors.`;

export const runCommand: Command = {
  summary: 'run a notebook file top to bottom in a fresh kernel and save its outputs',
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      output: { type: 'string', short: 'o' },
      kernel: { type: 'string' },
      timeout: { type: 'string' },
      'allow-errors': { type: 'boolean' },
    }, usage);
    if (values.help) return console.log(usage), 0;
    const [input] = positionals;
    if (!input || positionals.length > 1) throw new UsageError(usage);
    const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
      throw new UsageError(`--timeout must be a positive number of seconds, got "${values.timeout}"\n${usage}`);
    }
    const output = values.output ?? defaultOutputPath(input);

    let text: string;
    try {
      text = await readFile(input, 'utf8');
    } catch (err) {
      console.error(`nb run: cannot read ${input}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      return 1;
    }
    let notebook;
    try {
      notebook = parseNotebook(text);
    } catch (err) {
      if (!(err instanceof NotebookFormatError)) throw err;
      console.error(`nb run: ${input}: ${err.message}`);
      return 1;
    }

    const cancel = new AbortController();
    const onSignal = () => cancel.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const started = performance.now();
    try {
      const executed = await runNotebook(notebook, {
        kernelName: values.kernel,
        cellTimeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
        allowErrors: values['allow-errors'] ?? false,
        cwd: dirname(resolve(input)),
        signal: cancel.signal,
      });
      await write(output, serializeNotebook(executed));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (output !== '-') console.error(`nb run: wrote ${output} (ran in ${seconds} s)`);
      return 0;
    } catch (err) {
      if (!(err instanceof NotebookRunError)) throw err;
      console.error(`nb run: ${input}: ${err.message}`);
      if (err.notebook) {
        await write(output, serializeNotebook(err.notebook));
        if (output !== '-') console.error(`nb run: the notebook as far as it ran was written to ${output}`);
      }
      return err.failure === 'cancelled' ? 130 : 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

/** `dir/name.ipynb` → `dir/name.nbconvert.ipynb`, nbconvert's name for an executed copy. */
function defaultOutputPath(input: string): string {
  const ext = extname(input);
  return join(dirname(input), `${basename(input, ext)}.nbconvert${ext || '.ipynb'}`);
}

function write(path: string, text: string): Promise<void> {
  if (path !== '-') return writeFile(path, text, 'utf8');
  return new Promise((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}

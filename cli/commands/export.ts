// `nb export <id>`: a notebook as .ipynb (default), stripped .ipynb, .py or HTML,
// to a file or to stdout.
import { writeFile } from 'node:fs/promises';
import { openStorage, NotFoundError } from '../../storage';
import { EXPORT_FORMATS, exportNotebook, isExportFormat } from '../../library/notebook-files';
import { parseOptions, UsageError, type Command } from './command';

const usage = `usage: nb export <notebook-id> [-o FILE] [--format ${EXPORT_FORMATS.join('|')}]`;

export const exportCommand: Command = {
  summary: 'write a notebook as .ipynb, stripped .ipynb, .py or HTML',
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      output: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f' },
    }, usage);
    if (values.help) return console.log(usage), 0;
    const [id] = positionals;
    if (!id || positionals.length > 1) throw new UsageError(usage);
    const format = values.format ?? 'ipynb';
    if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}\n${usage}`);
    const storage = await openStorage();
    try {
      const file = await exportNotebook(storage, id, format);
      if (values.output) await writeFile(values.output, file.body, 'utf8');
      else await new Promise<void>((resolve, reject) => process.stdout.write(file.body, (err) => (err ? reject(err) : resolve())));
      return 0;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      console.error(`nb: no notebook with id "${id}"`);
      return 1;
    } finally {
      await storage.close();
    }
  },
};

// `nb import <files...>`: each .ipynb / percent-format .py file becomes a new
// notebook. Files are independent: a refused one is reported and the rest still
// import; the exit code says whether all of them did.
import { readFile, stat } from 'node:fs/promises';
import { openStorage } from '../../storage';
import { ports } from '../../config/env';
import { checkFileSize, importNotebookFile } from '../../library/notebook-files';
import { parseOptions, UsageError, type Command } from './command';
import { grantOwner, noAccountYet, resolveOwner } from './owner';

const usage = 'usage: nb import [--owner EMAIL] <file.ipynb|file.py>...';

export const importCommand: Command = {
  summary: 'import .ipynb or percent-format .py files as new notebooks (prints id and URL)',
  async run(args) {
    const { values, positionals } = parseOptions(args, { owner: { type: 'string' } }, usage);
    if (values.help) return console.log(usage), 0;
    if (positionals.length === 0) throw new UsageError(usage);
    const storage = await openStorage();
    let failed = 0;
    try {
      const owner = await resolveOwner(storage, values.owner as string | undefined);
      if (!owner) console.error(noAccountYet);
      for (const path of positionals) {
        try {
          checkFileSize(path, (await stat(path)).size);
          const record = await importNotebookFile(storage, { fileName: path, text: await readFile(path, 'utf8') });
          await grantOwner(storage, record.id, owner);
          console.log(`${record.id}\thttp://localhost:${ports.app}/notebooks/${record.id}`);
        } catch (err) {
          failed++;
          const e = err as NodeJS.ErrnoException;
          const reason = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a folder' : e.message;
          console.error(`nb: ${path}: ${reason}`);
        }
      }
    } finally {
      await storage.close();
    }
    return failed > 0 ? 1 : 0;
  },
};

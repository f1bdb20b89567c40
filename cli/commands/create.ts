import { openStorage } from '../../storage';
import { createNotebook } from '../../library/notebook-library';
import { parseOptions, type Command } from './command';

const usage = 'usage: nb create [--title TITLE]';

export const createCommand: Command = {
  summary: 'create an empty notebook and print its id',
  async run(args) {
    const { values } = parseOptions(args, { title: { type: 'string', short: 't' } }, usage);
    if (values.help) return console.log(usage), 0;
    const storage = await openStorage();
    try {
      const record = await createNotebook(storage, { title: values.title ?? 'Untitled' });
      console.log(record.id);
      return 0;
    } finally {
      await storage.close();
    }
  },
};

import { openStorage } from '../../storage';
import { createNotebook } from '../../library/notebook-library';
import { parseOptions, type Command } from './command';
import { grantOwner, noAccountYet, resolveOwner } from './owner';

const usage = 'usage: nb create [--title TITLE] [--owner EMAIL]';

export const createCommand: Command = {
  summary: 'create an empty notebook and print its id',
  async run(args) {
    const { values } = parseOptions(args, { title: { type: 'string', short: 't' }, owner: { type: 'string' } }, usage);
    if (values.help) return console.log(usage), 0;
    const storage = await openStorage();
    try {
      const owner = await resolveOwner(storage, values.owner as string | undefined);
      const record = await createNotebook(storage, { title: (values.title as string | undefined) ?? 'Untitled' });
      await grantOwner(storage, record.id, owner);
      if (!owner) console.error(noAccountYet);
      console.log(record.id);
      return 0;
    } finally {
      await storage.close();
    }
  },
};

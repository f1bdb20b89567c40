import { openStorage } from '../../storage';
import { parseOptions, type Command } from './command';

const usage = 'usage: nb list [--json]';

export const listCommand: Command = {
  summary: 'list notebooks (id, last change, title)',
  async run(args) {
    const { values } = parseOptions(args, { json: { type: 'boolean' } }, usage);
    if (values.help) return console.log(usage), 0;
    const storage = await openStorage();
    try {
      const notebooks = await storage.notebooks.list();
      if (values.json) console.log(JSON.stringify(notebooks, null, 2));
      else for (const nb of notebooks) console.log(`${nb.id}\t${nb.updatedAt.toISOString()}\t${nb.title}`);
      return 0;
    } finally {
      await storage.close();
    }
  },
};

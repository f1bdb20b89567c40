import { randomUUID } from 'node:crypto';
import { openStorage } from '../../storage';
import { signNotebookToken } from '../../auth/notebook-token';
import { isRole } from '../../auth/roles';
import { parseOptions, UsageError, type Command } from './command';

const usage = 'usage: nb token <notebook-id> --role owner|editor|viewer [--name NAME] [--ttl SECONDS]';

export const tokenCommand: Command = {
  summary: 'print a notebook-scoped token for the collab server and the kernel bridge',
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      role: { type: 'string', short: 'r' },
      name: { type: 'string', short: 'n' },
      ttl: { type: 'string' },
    }, usage);
    if (values.help) return console.log(usage), 0;
    const [notebookId] = positionals;
    if (!notebookId || positionals.length > 1) throw new UsageError(usage);
    if (!isRole(values.role)) throw new UsageError(`--role must be owner, editor or viewer\n${usage}`);
    const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) throw new UsageError(`--ttl must be a positive whole number of seconds\n${usage}`);
    const storage = await openStorage();
    try {
      if (!(await storage.notebooks.get(notebookId))) {
        console.error(`nb: no notebook with id "${notebookId}"`);
        return 1;
      }
    } finally {
      await storage.close();
    }
    const token = await signNotebookToken(
      { notebookId, role: values.role, name: values.name ?? 'cli', userId: `cli-${randomUUID()}` },
      ttl,
    );
    console.log(token);
    return 0;
  },
};

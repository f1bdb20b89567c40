// The table of `nb` commands.
import type { Command } from './command';
import { cellsCommand } from './cells';
import { createCommand } from './create';
import { exportCommand } from './export';
import { importCommand } from './import';
import { listCommand } from './list';
import { runCommand } from './run';
import { tokenCommand } from './token';

export const commands: Record<string, Command> = {
  cells: cellsCommand,
  create: createCommand,
  import: importCommand,
  export: exportCommand,
  list: listCommand,
  run: runCommand,
  token: tokenCommand,
};

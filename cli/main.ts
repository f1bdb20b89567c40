// The `nb` command: notebooks from the shell, on the configured database.
// Each command lives in its own module under cli/commands; this file only routes.
import { commands } from './commands';
import { UsageError } from './commands/command';
import { installationDescription } from '../config/env';

const usage = `usage: nb <command> [options]

commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`).join('\n')}

Run "nb <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`nb: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  // Which data folder (CELLMATE_DATA_DIR, else the project's data/) it reads, on stderr: stdout stays the answer.
  if (!rest.includes('--help') && !rest.includes('-h')) console.error(`nb: using ${installationDescription()}`);
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`nb: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);

// What every `nb` command provides, and argument parsing shared by all of them.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  summary: string;
  /** Runs the command; resolves with the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Parses options strictly, turning Node's errors into a short usage message. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[], options: T, usage: string,
) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
}

export class UsageError extends Error {}

/**
 * What every `corewatch` command is: its usage line and a `run` that resolves to an exit code, with the I/O it may
 * touch injected (so commands are tested without a process). Commands import this module, never the CLI's entry
 * point (cli/main.ts), which imports them.
 */

/** What a command may touch besides its arguments: injected so commands can be tested without a process. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Epoch milliseconds. Only the CLI edge reads the clock; the domain is given dates. */
  now(): number;
}

export interface Command {
  /** e.g. `corewatch evaluate FILE [--as-of YYYY-MM-DD]` */
  usage: string;
  /** Resolves to the exit code. Throw UsageError for bad arguments or input. */
  run(args: readonly string[], io: Io): Promise<number>;
}

/** Bad arguments or bad input: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** `showUsage`: print the usage line too (for argument mistakes; not for a bad input file). */
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * What every `corewatch` command is: its usage line and a `run` that resolves to an exit code, with the I/O it may
 * touch injected (so commands are tested without a process), and the one way they read their arguments
 * (`parseCommandArgs`, over node's parseArgs). Commands import this module, never the CLI's entry point
 * (cli/main.ts), which imports them.
 */
import { parseArgs } from 'node:util';

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

/** One option a command declares: a flag (`boolean`) or one that takes a value (`string`). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** A one-letter alias: `h` for `-h`. */
  short?: string;
  /** What a string option's value is, for the message when it is missing: `--as-of: needs a date (YYYY-MM-DD)`. */
  value?: string;
  /** The command cannot run without it: its absence is `--mapping: is required`. */
  required?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed values: a flag is a boolean, a required string option a string, any other string option optional. */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]: O[K]['type'] extends 'boolean'
    ? boolean | undefined
    : O[K]['required'] extends true
      ? string
      : string | undefined;
};

/** parseArgs's own option config: the declared options without corewatch's additions. */
type NodeOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface ParsedArgs<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
}

/**
 * A command's arguments, parsed by `node:util` parseArgs in strict mode against the options it declares. Every
 * refusal is a UsageError naming the option: `unknown option '--mnth'`, `--month: needs a value`, `--help: takes no
 * value`, `--mapping: is required`, `unexpected argument 'x'` (when `positionals` is false, the default).
 */
export function parseCommandArgs<const O extends OptionSpecs>(
  args: readonly string[],
  options: O,
  { positionals = false }: { positionals?: boolean } = {},
): ParsedArgs<O> {
  const config: NodeOptions = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      o.short === undefined ? { type: o.type } : { type: o.type, short: o.short },
    ]),
  );
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: config, strict: true, allowPositionals: positionals });
  } catch (error) {
    throw refusal(error, args, options, config);
  }
  for (const [name, o] of Object.entries(options)) {
    if (o.required === true && parsed.values[name] === undefined) throw new UsageError(`--${name}: is required`);
  }
  return { values: parsed.values as OptionValues<O>, positionals: parsed.positionals };
}

/** The one FILE a command takes, from its positional arguments. */
export function oneFile(positionals: readonly string[]): string {
  const [file, ...more] = positionals;
  if (file === undefined) throw new UsageError('FILE: is required');
  if (more.length > 0) throw new UsageError('FILE: give exactly one file');
  return file;
}

/**
 * parseArgs says what is wrong in prose that is not an API; the same arguments parsed leniently, as tokens, show
 * which option it was.
 */
function refusal(error: unknown, args: readonly string[], options: OptionSpecs, config: NodeOptions): Error {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return error as Error;
  const { tokens } = parseArgs({
    args: [...args],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'positional' && code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      return new UsageError(`unexpected argument '${token.value}'`);
    }
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (spec === undefined) return new UsageError(`unknown option '${token.rawName}'`);
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      return new UsageError(`${token.rawName}: needs ${spec.value ?? 'a value'}`);
    }
    if (spec.type === 'boolean' && token.value !== undefined) return new UsageError(`${token.rawName}: takes no value`);
  }
  return new UsageError((error as Error).message);
}

/**
 * The `corewatch` command line: `corewatch <command> [arguments]`.
 *
 * A thin edge: each command parses its arguments, calls the domain (or a service) and prints. Adding a command is
 * one entry in COMMANDS; commands load lazily, so `corewatch evaluate` never loads the Temporal worker.
 *
 * Exit codes: 0 success, 1 unexpected failure, 2 bad usage or bad input (the message names the field and reason).
 */

import { EXIT, UsageError, type Command, type Io } from './command';

export { EXIT, UsageError, type Command, type Io };

interface CommandEntry {
  summary: string;
  /** Loads the command's module on demand. A plain `require`, not `import()`: the bin registers tsx for CommonJS. */
  load(): Command;
}

const COMMANDS: Record<string, CommandEntry> = {
  evaluate: {
    summary: "print a plan's obligations as JSON",
    load: () => (require('./evaluate') as typeof import('./evaluate')).evaluate,
  },
  worker: {
    summary: 'run the Temporal worker that runs every plan (until Ctrl-C)',
    load: () => (require('./worker') as typeof import('./worker')).worker,
  },
  status: {
    summary: "print a running plan's obligations and escalations, from its workflow",
    load: () => (require('./status') as typeof import('./status')).status,
  },
  report: {
    summary: "produce a partnership's monthly audit workbook now (the Schedule does it each month)",
    load: () => (require('./report') as typeof import('./report')).report,
  },
  'annex-a': {
    summary: 'write Ofsted ILACS Annex A List 7 (children on a child protection plan on a day) as an .xlsx',
    load: () => (require('./annex-a') as typeof import('./annex-a')).annexA,
  },
  serve: {
    summary: 'run the HTTP API and its event relay (until SIGTERM or Ctrl-C)',
    load: () => (require('./serve') as typeof import('./serve')).serve,
  },
  token: {
    summary: 'issue a scoped API token for a partnership (printed once; only its hash is stored)',
    load: () => (require('./token') as typeof import('./token')).token,
  },
  sessions: {
    summary: "end all of a person's dashboard sessions at once (they are signed out at their next request)",
    load: () => (require('./sessions') as typeof import('./sessions')).sessions,
  },
  directory: {
    summary: "set up or update a partnership's teams, people and dashboard roles from a JSON file",
    load: () => (require('./directory') as typeof import('./directory')).directory,
  },
  import: {
    summary: 'import plan events from a case-system extract (CSV or XLSX) with a column mapping file',
    load: () => (require('./import') as typeof import('./import')).importCommand,
  },
  obligations: {
    summary: 'rebuild the obligations read model from the event log (after an engine or policy change)',
    load: () => (require('./obligations') as typeof import('./obligations')).obligations,
  },
  figures: {
    summary: "store past months' Summary figures for the dashboard's trend (backfill)",
    load: () => (require('./figures') as typeof import('./figures')).figures,
  },
  demo: {
    summary: 'seed demo plans (several policies, one overdue) and start their workflows',
    load: () => (require('./demo') as typeof import('./demo')).demo,
  },
  'mail-catcher': {
    summary: 'a local SMTP server writing each email to an outbox folder (demo only)',
    load: () => (require('./mail-catcher') as typeof import('./mail-catcher')).mailCatcher,
  },
};

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => Date.now(),
};

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr(overview());
    return EXIT.usage;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(overview());
    return EXIT.ok;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    io.stderr(`corewatch: unknown command '${name}'\n\n${overview()}`);
    return EXIT.usage;
  }
  const command = entry.load();
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`corewatch ${name}: ${error.message}\n${error.showUsage ? `usage: ${command.usage}\n` : ''}`);
      return EXIT.usage;
    }
    io.stderr(`corewatch ${name}: unexpected error: ${describeError(error)}\n`);
    return EXIT.failure;
  }
}

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, e]) => `  ${n.padEnd(width)}  ${e.summary}`);
  return `usage: corewatch <command> [arguments]\n\ncommands:\n${lines.join('\n')}\n`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Entry point for bin/corewatch.js. */
export function runCli(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`corewatch: ${describeError(error)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}

/**
 * Every command parses its arguments with node's parseArgs through cli/command.ts: a mistake is a UsageError naming
 * the option (exit 2 with the usage line), whichever command it is. These run in-process: no command here gets as
 * far as a database or Temporal. (`serve` and `worker` parse exactly as `demo` does; loading them here would load
 * the HTTP app and the Temporal worker, which this tier does not.)
 */
import { main, type Io } from '../../cli/main';
import { oneFile, parseCommandArgs, UsageError } from '../../cli/command';

const OPTIONS = {
  month: { type: 'string', value: 'a month (YYYY-MM)', required: true },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandArgs', () => {
  it('returns the declared options, in either form, and the positionals when the command takes them', () => {
    expect(parseCommandArgs(['--month', '2026-01', '--out=x.xlsx', '-h'], OPTIONS)).toEqual({
      values: { month: '2026-01', out: 'x.xlsx', help: true },
      positionals: [],
    });
    expect(
      parseCommandArgs(['a.json', '--month=2026-01', '--', '--not-an-option'], OPTIONS, { positionals: true })
        .positionals,
    ).toEqual(['a.json', '--not-an-option']);
  });

  it.each([
    [['--mnth', '2026-01'], "unknown option '--mnth'"],
    [['-x'], "unknown option '-x'"],
    [['--month'], '--month: needs a month (YYYY-MM)'],
    [['--month', '--out', 'x'], '--month: needs a month (YYYY-MM)'],
    [['--month', '2026-01', '--out'], '--out: needs a value'],
    [['--month', '2026-01', '--help=yes'], '--help: takes no value'],
    [['--out', 'x'], '--month: is required'],
    [['--month', '2026-01', 'extra'], "unexpected argument 'extra'"],
  ])('%j is refused: %s', (args, message) => {
    expect(refusal(() => parseCommandArgs(args, OPTIONS))).toBe(message);
  });

  it('oneFile takes exactly one FILE', () => {
    expect(oneFile(['a.csv'])).toBe('a.csv');
    expect(refusal(() => oneFile([]))).toBe('FILE: is required');
    expect(refusal(() => oneFile(['a.csv', 'b.csv']))).toBe('FILE: give exactly one file');
  });
});

describe('every command refuses a bad option with exit 2, naming it, before touching anything', () => {
  async function run(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), now: () => Date.now() };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  }

  it.each([
    [['report', '--partnership', 'p', '--mnth', '2026-01'], "corewatch report: unknown option '--mnth'"],
    [['report', '--partnership', 'p', '--month'], 'corewatch report: --month: needs a month (YYYY-MM)'],
    [['report', '--month', '2026-01'], 'corewatch report: --partnership: is required'],
    [['import', 'a.csv'], 'corewatch import: --mapping: is required'],
    [['import', '--mapping', 'm.json'], 'corewatch import: FILE: is required'],
    [['token', 'issue', '--partnership', 'p', '--name'], 'corewatch token: --name: needs a value'],
    [['token', 'revoke', '--all'], "corewatch token: unknown option '--all'"],
    [['directory', 'load', '--dry-run', 'd.json'], "corewatch directory: unknown option '--dry-run'"],
    [['status', '--plan', 'X'], "corewatch status: unknown option '--plan'"],
    [['mail-catcher', '--port', 'smtp'], 'corewatch mail-catcher: --port: "smtp" is not a port number'],
    [['demo', '--reset'], "corewatch demo: unknown option '--reset'"],
    [['demo', 'now'], "corewatch demo: unexpected argument 'now'"],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await run(...argv);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(`${message}\nusage: corewatch ${argv[0]}`);
  });
});

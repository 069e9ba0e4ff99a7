/**
 * `corewatch evaluate FILE [--as-of YYYY-MM-DD]`: a plan's obligations, as JSON, for auditors and scripts.
 *
 * Public contract: prints `{"obligations": [{"key", "kind", "due", "status", "metOn"?, "from", "rule",
 * "rulesVersion"}, ...]}` in due order (ties by key). `--as-of` defaults to today in Europe/London. Bad input of any
 * kind (unreadable file, bad JSON, schema error, bad --as-of, unknown policy, a plan the policy cannot evaluate)
 * exits 2 with the field and the reason on stderr.
 */
import { readFileSync } from 'node:fs';
import { isIsoDate, londonDateAt } from '../domain/calendar';
import { EvaluateInputError, parseEvaluateInput } from '../domain/evaluate-input';
import { evaluatePlan, PlanInputError } from '../domain/obligations';
import { getPolicy } from '../domain/policies';
import type { IsoDate, Obligation } from '../domain/types';
import { EXIT, UsageError, type Command } from './command';

export const evaluate: Command = {
  usage: 'corewatch evaluate FILE [--as-of YYYY-MM-DD]',
  run: async (args, io) => {
    const options = parseArgs(args);
    if (options === 'help') {
      io.stdout(`usage: ${evaluate.usage}\n`);
      return EXIT.ok;
    }
    const asOf = options.asOf ?? londonDateAt(io.now());
    const obligations = evaluateFile(options.file, asOf);
    io.stdout(JSON.stringify({ obligations: obligations.map(toOutput) }, null, 2) + '\n');
    return EXIT.ok;
  },
};

interface Options {
  file: string;
  asOf?: IsoDate;
}

function parseArgs(args: readonly string[]): Options | 'help' {
  const files: string[] = [];
  let asOf: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--as-of' || arg.startsWith('--as-of=')) {
      const value = arg === '--as-of' ? args[++i] : arg.slice('--as-of='.length);
      if (value === undefined) throw new UsageError('--as-of: needs a date (YYYY-MM-DD)');
      if (!isIsoDate(value)) throw new UsageError(`--as-of: ${JSON.stringify(value)} is not a real date (YYYY-MM-DD)`);
      asOf = value;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option '${arg}'`);
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1) {
    throw new UsageError(files.length === 0 ? 'FILE: is required' : 'FILE: give exactly one file');
  }
  const file = files[0] as string;
  return asOf === undefined ? { file } : { file, asOf };
}

function evaluateFile(file: string, asOf: IsoDate): Obligation[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`${file}: cannot read the file (${reason})`, false);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`, false);
  }
  try {
    const input = parseEvaluateInput(json);
    return evaluatePlan({ policy: getPolicy(input.policy), plan: input.plan, events: input.events }, asOf);
  } catch (error) {
    if (error instanceof EvaluateInputError) {
      throw new UsageError(`${file}: invalid input\n${listProblems(error.problems)}`, false);
    }
    if (error instanceof PlanInputError) {
      const problem = { path: error.path, reason: error.reason };
      throw new UsageError(`${file}: invalid input\n${listProblems([problem])}`, false);
    }
    throw error;
  }
}

function listProblems(problems: ReadonlyArray<{ path: string; reason: string }>): string {
  return problems.map((p) => `  ${p.path}: ${p.reason}`).join('\n');
}

/** The public shape, fields in a fixed order. */
function toOutput(o: Obligation): Record<string, unknown> {
  return {
    key: o.key,
    kind: o.kind,
    due: o.due,
    status: o.status,
    ...(o.metOn === undefined ? {} : { metOn: o.metOn }),
    from: o.from,
    rule: o.rule,
    rulesVersion: o.rulesVersion,
  };
}


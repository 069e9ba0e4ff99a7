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
import { EXIT, oneFile, parseCommandArgs, UsageError, type Command } from './command';

export const evaluate: Command = {
  usage: 'corewatch evaluate FILE [--as-of YYYY-MM-DD]',
  run: async (args, io) => {
    const options = parseOptions(args);
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

const OPTIONS = {
  'as-of': { type: 'string', value: 'a date (YYYY-MM-DD)' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Options {
  file: string;
  asOf?: IsoDate;
}

function parseOptions(args: readonly string[]): Options | 'help' {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, { positionals: true });
  if (values.help === true) return 'help';
  const asOf = values['as-of'];
  if (asOf !== undefined && !isIsoDate(asOf)) {
    throw new UsageError(`--as-of: ${JSON.stringify(asOf)} is not a real date (YYYY-MM-DD)`);
  }
  const file = oneFile(positionals);
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

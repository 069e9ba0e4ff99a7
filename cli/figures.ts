/**
 * `corewatch figures backfill --from YYYY-MM [--partnership ID]`: computes and stores the Summary figures of every
 * complete month from --from to last month (the dashboard's trend reads them; the monthly audit stores each new
 * month itself). Idempotent: a month already stored is replaced. One partnership-month at a time, with a progress bar.
 */
import { londonDateAt } from '../domain/calendar';
import { parseYearMonth } from '../domain/report-months';
import { createPrisma } from '../platform/database';
import { loadConfig } from '../platform/env';
import { backfillFigures } from '../services/monthly-figures';
import { parseCommandArgs, UsageError, type Command } from './command';

import { drawProgress } from './progress';

export const figures: Command = {
  usage: 'corewatch figures backfill --from YYYY-MM [--partnership ID]',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'backfill') throw new UsageError("expected the subcommand 'backfill'");
    const { values } = parseCommandArgs(rest, {
      from: { type: 'string', required: true, value: 'a month (YYYY-MM)' },
      partnership: { type: 'string', value: 'a partnership id' },
    });
    let from: string;
    try {
      from = parseYearMonth(values.from);
    } catch (error) {
      throw new UsageError(`--from: ${(error as Error).message}`);
    }
    const prisma = createPrisma(loadConfig().DATABASE_URL);
    try {
      if (
        values.partnership !== undefined &&
        !(await prisma.partnership.findUnique({ where: { id: values.partnership } }))
      ) {
        throw new UsageError(`--partnership: no partnership '${values.partnership}'`, false);
      }
      const result = await backfillFigures(prisma, {
        from,
        today: londonDateAt(io.now()),
        ...(values.partnership !== undefined ? { partnershipId: values.partnership } : {}),
        onProgress: (p) => drawProgress(io, `${p.partnershipId} ${p.month}`, p.done, p.total),
      });
      io.stderr('\n');
      io.stdout(
        `${JSON.stringify({ months: result.months.length, from: result.months[0] ?? null, to: result.months.at(-1) ?? null, partnerships: result.partnerships, rows: result.rows }, null, 2)}\n`,
      );
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};

/**
 * `corewatch obligations rebuild [--partnership ID]`: recomputes the obligations read model of every plan (or one
 * partnership's) from the event log, after an engine or policy change or a restore. Idempotent, one plan per
 * transaction, memory bounded by a batch of plan ids; shows a progress bar and prints a JSON summary, listing the
 * plans the engine could not evaluate and why.
 */
import { londonDateAt } from '../domain/calendar';
import { createPrisma } from '../platform/database';
import { loadConfig } from '../platform/env';
import { rebuildReadModel } from '../services/plan-data';
import { parseCommandArgs, UsageError, type Command } from './command';
import { drawProgress } from './progress';

export const obligations: Command = {
  usage: 'corewatch obligations rebuild [--partnership ID]',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'rebuild') throw new UsageError("expected the subcommand 'rebuild'");
    const { values } = parseCommandArgs(rest, { partnership: { type: 'string', value: 'a partnership id' } });
    const prisma = createPrisma(loadConfig().DATABASE_URL);
    try {
      const result = await rebuildReadModel(prisma, {
        today: londonDateAt(io.now()),
        ...(values.partnership !== undefined ? { partnershipId: values.partnership } : {}),
        onProgress: (p) => {
          if (p.done % 50 === 0 || p.done === p.total) drawProgress(io, 'plans', p.done, p.total);
        },
      });
      io.stderr('\n');
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};

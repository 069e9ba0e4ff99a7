/**
 * `corewatch annex-a --partnership ID [--as-of YYYY-MM-DD] [--out FILE]`: writes Ofsted ILACS Annex A List 7 for a
 * partnership on a day (default today, Europe/London) to FILE (default `annex-a-list-7-ID-DAY.xlsx`), streamed from
 * the database, and prints what it wrote: the file, the day, the rows (children) and how many rows leave a required
 * field blank. Children's data: the extract is written to the access log (actor: the command line, with the
 * operating system user) before the file is.
 *
 * Bad input exits 2 naming the option: `--as-of: "2026-02-30" is not a real date`, `--partnership: partnership x does
 * not exist`, `--as-of: ... is after today`.
 */
import os from 'node:os';
import path from 'node:path';
import { compareDates, londonDateAt } from '../domain/calendar';
import { identifierProblem, IsoDateSchema } from '../domain/input-policy';
import { isRefusal } from '../domain/refusal';
import { createPrisma } from '../platform/database';
import { loadConfig } from '../platform/env';
import { recordAccess } from '../services/access-log';
import { annexAFileName, writeAnnexA } from '../services/annex-a';
import { parseCommandArgs, UsageError, type Command } from './command';

const OPTIONS = {
  partnership: { type: 'string', value: 'a partnership id', required: true },
  'as-of': { type: 'string', value: 'a date (YYYY-MM-DD)' },
  out: { type: 'string', value: 'a file name' },
} as const;

const FIELDS = { partnership: '--partnership', asOf: '--as-of' };

export const annexA: Command = {
  usage: 'corewatch annex-a --partnership ID [--as-of YYYY-MM-DD] [--out FILE]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, OPTIONS);
    const partnershipId = values.partnership;
    const idProblem = identifierProblem(partnershipId);
    if (idProblem !== undefined) throw new UsageError(`--partnership: ${idProblem}`);
    const today = londonDateAt(io.now());
    let asOf = today;
    if (values['as-of'] !== undefined) {
      const parsed = IsoDateSchema.safeParse(values['as-of']);
      if (!parsed.success) throw new UsageError(`--as-of: ${parsed.error.issues[0]?.message ?? 'is not a date'}`);
      asOf = parsed.data;
    }
    if (compareDates(asOf, today) > 0)
      throw new UsageError(`--as-of: ${asOf} is after today (${today}): who is on a plan that day is not known yet`);
    const out = path.resolve(values.out ?? annexAFileName(partnershipId, asOf));

    const prisma = createPrisma(loadConfig().DATABASE_URL);
    try {
      const partnership = await prisma.partnership.findUnique({ where: { id: partnershipId }, select: { id: true } });
      if (!partnership) throw new UsageError(`--partnership: partnership ${partnershipId} does not exist`);
      // Logged before the file exists: there is no extract without its row.
      await recordAccess(prisma, {
        partnershipId,
        actor: { kind: 'command-line' },
        action: 'annex-a-download',
        route: `corewatch annex-a asOf=${asOf} out=${out} (os user ${os.userInfo().username})`,
      });
      const written = await writeAnnexA(prisma, { partnershipId, asOf, today }, out, FIELDS);
      io.stdout(`${JSON.stringify({ file: out, partnershipId, asOf, ...written }, null, 2)}\n`);
      return 0;
    } catch (error) {
      if (isRefusal(error)) throw new UsageError(`${error.field}: ${error.reason}`, false);
      throw error;
    } finally {
      await prisma.$disconnect();
    }
  },
};

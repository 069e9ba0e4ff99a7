/**
 * Annex A List 7 for one partnership on one day, as its own file: the partnership's name, the plans open that day
 * from services/plan-data (streamed, one per child) and the template layout (reports/annex-a-workbook.ts). The CLI
 * writes it where it is told; the API and the dashboard write it to a private temporary file and send that
 * (http/annex-a-download.ts). Whoever calls this records the access (services/access-log.ts) before the file leaves.
 */
import { compareDates } from '../domain/calendar';
import { Refusal } from '../domain/refusal';
import type { IsoDate } from '../domain/types';
import type { PrismaClient } from '../platform/database';
import { type AnnexAWritten, writeAnnexAWorkbook } from '../reports/annex-a-workbook';
import { annexAPlans } from './plan-data';

export interface AnnexARequest {
  partnershipId: string;
  asOf: IsoDate;
  /** Today in Europe/London: a day after it is not known yet. */
  today: IsoDate;
}

/** Writes the file (atomically); refuses an unknown partnership (404) and a day after today (422), naming the field. */
export async function writeAnnexA(
  prisma: PrismaClient,
  request: AnnexARequest,
  file: string,
  fields: { partnership: string; asOf: string } = { partnership: 'partnershipId', asOf: 'asOf' },
): Promise<AnnexAWritten> {
  const { partnershipId, asOf, today } = request;
  if (compareDates(asOf, today) > 0)
    throw new Refusal(
      'contradiction',
      fields.asOf,
      `${asOf} is after today (${today}): who is on a plan that day is not known yet`,
    );
  const partnership = await prisma.partnership.findUnique({ where: { id: partnershipId }, select: { name: true } });
  if (!partnership) throw new Refusal('not-found', fields.partnership, `partnership ${partnershipId} does not exist`);
  return writeAnnexAWorkbook(file, {
    partnershipName: partnership.name,
    asOf,
    generatedAt: new Date(),
    plans: annexAPlans({ prisma, partnershipId, asOf }),
  });
}

/** The file's name for a download: `annex-a-list-7-<partnership>-<day>.xlsx` (ids are already safe in a name). */
export function annexAFileName(partnershipId: string, asOf: IsoDate): string {
  return `annex-a-list-7-${partnershipId}-${asOf}.xlsx`;
}

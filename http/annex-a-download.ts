/**
 * Sends Annex A List 7 as a download, for the API and the dashboard alike: the file is written to a private
 * temporary folder under REPORTS_DIR (children's data stays where workbooks are kept, never in a shared /tmp),
 * the access is logged (`logAccess`, before any byte leaves), the file is streamed and then deleted, whatever
 * becomes of the response.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { IsoDate } from '../domain/types';
import type { PrismaClient } from '../platform/database';
import { annexAFileName, writeAnnexA } from '../services/annex-a';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function sendAnnexA(
  reply: FastifyReply,
  deps: { prisma: PrismaClient; reportsDir: string },
  request: { partnershipId: string; asOf: IsoDate; today: IsoDate },
  logAccess: () => Promise<void>,
  fields?: { partnership: string; asOf: string },
): Promise<FastifyReply> {
  fs.mkdirSync(deps.reportsDir, { recursive: true });
  const dir = await fs.promises.mkdtemp(path.join(deps.reportsDir, '.annex-a-'));
  const remove = () => fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  try {
    const file = path.join(dir, 'list-7.xlsx');
    await writeAnnexA(deps.prisma, request, file, fields);
    await logAccess();
    const stream = fs.createReadStream(file);
    stream.once('close', () => void remove());
    return reply
      .type(XLSX)
      .header('content-disposition', `attachment; filename="${annexAFileName(request.partnershipId, request.asOf)}"`)
      .send(stream);
  } catch (error) {
    await remove();
    throw error;
  }
}

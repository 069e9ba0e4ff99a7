/**
 * The monthly audit's I/O: generate a partnership's workbook (streamed from the database, heartbeating its
 * progress), register it with its checksum, and tell the partnership's auditors it is ready.
 *
 * Retries are safe: a report id already `complete` is returned as it is; a retried generation writes a fresh file
 * (the writer renames into place only on success) and only then marks the row complete, so a half-written file is
 * never registered. The auditors' email is sent once per report id, under a row lock, and never attaches the
 * workbook (it holds children's personal data): it links to it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../platform/database';
import { escapeHtml } from './email/render-notification';
import { heartbeatIfInActivity } from './heartbeat';
import { writeAuditWorkbook } from '../reports/workbook';
import type { YearMonth } from '../reports/types';
import type { GeneratedReport, ReportActivities, ReportProgress } from '../workflows/contracts';
import { computeMonthFigures } from '../services/monthly-figures';
import { annexAPlans, countReportPlans, reportPlans } from '../services/plan-data';

export interface ReportActivityDeps {
  prisma: PrismaClient;
  mailer: Pick<Transporter, 'sendMail'>;
  mailFrom: string;
  publicBaseUrl: string;
  /** Where finished workbooks are kept. */
  reportsDir: string;
}

export function createReportActivities(deps: ReportActivityDeps): ReportActivities {
  const { prisma } = deps;

  return {
    /** Partnerships whose audit for `month` has no complete workbook yet (the scheduled run's to-do list). */
    async partnershipsDue(args: { month: YearMonth }): Promise<string[]> {
      const partnerships = await prisma.partnership.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
      const done = await prisma.monthlyReport.findMany({
        where: { month: args.month, status: 'complete' },
        select: { partnershipId: true },
      });
      const complete = new Set(done.map((d) => d.partnershipId));
      return partnerships.map((p) => p.id).filter((id) => !complete.has(id));
    },

    async generateMonthlyReport(args: {
      reportId: string;
      partnershipId: string;
      month: YearMonth;
    }): Promise<GeneratedReport> {
      const { reportId, partnershipId, month } = args;
      const partnership = await prisma.partnership.findUnique({ where: { id: partnershipId } });
      if (!partnership)
        throw ApplicationFailure.nonRetryable(`partnership ${partnershipId} does not exist`, 'UnknownPartnership');

      const existing = await prisma.monthlyReport.findUnique({ where: { id: reportId } });
      if (
        existing?.status === 'complete' &&
        existing.filePath &&
        existing.checksum &&
        fs.existsSync(existing.filePath)
      ) {
        return {
          reportId,
          partnershipId,
          month,
          filePath: existing.filePath,
          checksum: existing.checksum,
          byteSize: existing.byteSize ?? 0,
          rowCounts: (existing.rowCounts ?? {}) as Record<string, number>,
        };
      }
      await prisma.monthlyReport.upsert({
        where: { id: reportId },
        create: { id: reportId, partnershipId, month, status: 'generating' },
        update: { status: 'generating', error: null, startedAt: new Date() },
      });

      const filePath = path.resolve(deps.reportsDir, partnershipId, month, `${reportId}.xlsx`);
      fs.mkdirSync(path.dirname(filePath), { recursive: true });
      const planCount = await countReportPlans({ prisma, partnershipId, month });
      const heartbeat = throttle((p: ReportProgress) => heartbeatIfInActivity(p), 500);
      try {
        const { rowCounts } = await writeAuditWorkbook(
          filePath,
          {
            partnershipName: partnership.name,
            month,
            generatedAt: new Date(),
            plans: reportPlans({ prisma, partnershipId, month }),
            annexAPlans: (asOf) => annexAPlans({ prisma, partnershipId, asOf })(),
            planCount,
          },
          (p) =>
            heartbeat({
              phase: p.phase,
              done: p.done,
              ...(p.total !== undefined ? { total: p.total } : { total: planCount }),
            }),
        );
        // The month's Summary, stored for the dashboard's trend and the API (the same engine as the workbook's).
        await computeMonthFigures(prisma, partnershipId, month);
        const bytes = fs.readFileSync(filePath);
        const checksum = createHash('sha256').update(bytes).digest('hex');
        await prisma.monthlyReport.update({
          where: { id: reportId },
          data: { status: 'complete', filePath, checksum, byteSize: bytes.length, rowCounts, generatedAt: new Date() },
        });
        return { reportId, partnershipId, month, filePath, checksum, byteSize: bytes.length, rowCounts };
      } catch (error) {
        await prisma.monthlyReport
          .update({
            where: { id: reportId },
            data: { status: 'failed', error: error instanceof Error ? error.message : String(error) },
          })
          .catch(() => undefined);
        throw error;
      }
    },

    /** Emails the partnership's auditors a link to the workbook, once per report. */
    async notifyAuditors(args: { reportId: string }): Promise<'sent' | 'already-sent' | 'no-auditors'> {
      return prisma.$transaction(
        async (tx) => {
          const [row] = await tx.$queryRaw<Array<{ notifiedAt: Date | null }>>`
            SELECT "notifiedAt" FROM "MonthlyReport" WHERE id = ${args.reportId} AND status = 'complete' FOR UPDATE`;
          if (!row)
            throw ApplicationFailure.nonRetryable(`report ${args.reportId} is not complete`, 'ReportNotComplete');
          if (row.notifiedAt) return 'already-sent' as const;
          const report = await tx.monthlyReport.findUniqueOrThrow({
            where: { id: args.reportId },
            include: { partnership: true },
          });
          const auditors = await tx.partnershipMember.findMany({
            where: { partnershipId: report.partnershipId, role: 'auditor', person: { active: true } },
            include: { person: true },
          });
          if (auditors.length === 0) return 'no-auditors' as const;
          const link = `${deps.publicBaseUrl}/reports/${encodeURIComponent(report.id)}/download`;
          const subject = `[corewatch] Monthly audit workbook ready: ${report.partnership.name}, ${report.month}`;
          const text = [
            `The multi-agency audit workbook for ${report.partnership.name}, ${report.month}, is ready.`,
            '',
            `Download (sign-in required): ${link}`,
            `Checksum (sha256): ${report.checksum ?? ''}`,
            '',
            "The workbook holds children's personal data, so it is never attached to an email.",
          ].join('\n');
          await deps.mailer.sendMail({
            from: deps.mailFrom,
            to: auditors.map((a) => a.person.email),
            subject,
            text,
            html:
              `<p>The multi-agency audit workbook for ${escapeHtml(report.partnership.name)}, ${escapeHtml(report.month)}, is ready.</p>` +
              `<p><a href="${escapeHtml(link)}">Download the workbook</a> (sign-in required).</p>` +
              `<p>Checksum (sha256): <code>${escapeHtml(report.checksum ?? '')}</code></p>` +
              "<p>The workbook holds children's personal data, so it is never attached to an email.</p>",
            headers: { 'X-Corewatch-Key': `report|${report.id}` },
          });
          await tx.monthlyReport.update({ where: { id: report.id }, data: { notifiedAt: new Date() } });
          return 'sent' as const;
        },
        { timeout: 60_000, maxWait: 30_000 },
      );
    },
  };
}

export type { GeneratedReport, ReportActivities, ReportProgress };

function throttle<T>(fn: (value: T) => void, ms: number): (value: T) => void {
  let last = 0;
  return (value) => {
    const now = Date.now();
    if (now - last >= ms) {
      last = now;
      fn(value);
    }
  };
}

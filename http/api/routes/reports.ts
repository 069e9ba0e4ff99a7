/**
 * Compliance figures and the monthly audit workbooks. The figures are a complete month's Summary blocks as the
 * monthly audit stored them (services/plan-data/figures.ts), the same figures as that month's workbook; nothing is
 * recomputed per request.
 */
import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { londonDateAt } from '../../../domain/calendar';
import { monthOf } from '../../../domain/report-months';
import { monthSummary } from '../../../services/plan-data';
import { identifierSchema, IsoDateSchema, YearMonthSchema } from '../../../domain/input-policy';
import { sendAnnexA, XLSX } from '../../annex-a-download';
import { Refusal } from '../../../domain/refusal';
import type { HttpDeps } from '../../deps';
import { READ_ERRORS } from '../error-responses';
import { recordAccess } from '../../../services/access-log';
import { logTokenRead, principalOf, requireScope } from '../auth';

/** Annex A List 7's bytes, documented like the workbook's. */
const ANNEX_A_BODY = {
  description: "Annex A List 7, an .xlsx file with one sheet, 'List 7', laid out as Ofsted's template",
  content: { [XLSX]: { schema: z.string().meta({ format: 'binary' }) } },
};
const Month = YearMonthSchema;
/** The workbook's bytes: documented with their media type, sent as a stream (never serialised). */
const WORKBOOK_BODY = {
  description: 'The workbook, an .xlsx file',
  content: { [XLSX]: { schema: z.string().meta({ format: 'binary' }) } },
};

const MeasureOut = z.object({
  id: z.string(),
  label: z.string(),
  count: z.number(),
  denominator: z.number().optional(),
  percentage: z.number().optional(),
  rag: z.string(),
  rule: z.string(),
});
const SummaryBlockOut = z.object({
  scope: z.enum(['partnership', 'team']),
  name: z.string(),
  teamId: z.string().optional(),
  measures: z.array(MeasureOut),
});
const ReportOut = z.object({
  id: z.string(),
  month: z.string(),
  status: z.string(),
  generatedAt: z.string().nullable(),
  byteSize: z.number().int().nullable(),
  checksum: z.string().nullable(),
});

const notFound = (what: string, field: string) => new Refusal('not-found', field, `${what} does not exist`);

export function reportRoutes(deps: HttpDeps): FastifyPluginAsyncZod {
  const { prisma } = deps;
  const today = deps.today ?? (() => londonDateAt(Date.now()));
  return async (app) => {
    const auth = requireScope(prisma, 'reports:read');

    app.get(
      '/partnerships/:id/compliance',
      {
        onRequest: auth,
        schema: {
          summary: "A partnership's compliance figures for a month (the workbook's Summary)",
          tags: ['reports'],
          params: z.object({ id: identifierSchema() }),
          querystring: z.strictObject({ month: Month }),
          response: {
            ...READ_ERRORS,
            200: z.object({ partnershipId: z.string(), month: z.string(), summary: z.array(SummaryBlockOut) }),
          },
        },
      },
      async (request) => {
        const partnershipId = principalOf(request).partnershipId;
        // Another partnership is not found, whether it exists or not.
        if (request.params.id !== partnershipId) throw notFound(`partnership ${request.params.id}`, 'id');
        const { month } = request.query;
        if (month >= monthOf(today())) {
          throw new Refusal(
            'contradiction',
            'month',
            `${month} is not a complete month yet: its figures are stored once it has ended`,
          );
        }
        const summary = await monthSummary(prisma, partnershipId, month);
        if (!summary)
          throw new Refusal(
            'not-found',
            'month',
            `the figures for ${month} have not been computed yet (corewatch figures backfill)`,
          );
        return { partnershipId, month, summary };
      },
    );

    app.get(
      '/partnerships/:id/annex-a',
      {
        onRequest: auth,
        schema: {
          summary:
            "Ofsted ILACS Annex A List 7: the partnership's children on a child protection plan on a day (.xlsx)",
          description:
            "One row per child on a child protection plan open that day, laid out as Ofsted's template (17 headers in row 1, coded values, dd/mm/yyyy dates). Children's data: every download is written to the access log first.",
          tags: ['reports'],
          params: z.object({ id: identifierSchema() }),
          querystring: z.strictObject({
            asOf: IsoDateSchema.optional().describe('the day (YYYY-MM-DD); default today in Europe/London'),
          }),
          response: { ...READ_ERRORS, 200: ANNEX_A_BODY },
        },
      },
      async (request, reply) => {
        const partnershipId = principalOf(request).partnershipId;
        // Another partnership is not found, whether it exists or not.
        if (request.params.id !== partnershipId) throw notFound(`partnership ${request.params.id}`, 'id');
        const asOf = request.query.asOf ?? today();
        return sendAnnexA(
          reply,
          { prisma, reportsDir: deps.config.REPORTS_DIR },
          { partnershipId, asOf, today: today() },
          // Children's data: logged before a byte of it is sent.
          () =>
            recordAccess(prisma, {
              partnershipId,
              actor: { kind: 'token', tokenId: principalOf(request).tokenId },
              action: 'annex-a-download',
              route: `GET ${request.routeOptions.url ?? request.url} asOf=${asOf}`,
            }),
          { partnership: 'id', asOf: 'asOf' },
        );
      },
    );

    app.get(
      '/reports',
      {
        onRequest: auth,
        schema: {
          summary: "The partnership's monthly audit workbooks",
          tags: ['reports'],
          response: { 200: z.object({ reports: z.array(ReportOut) }), ...READ_ERRORS },
        },
      },
      async (request) => {
        const rows = await prisma.monthlyReport.findMany({
          where: { partnershipId: principalOf(request).partnershipId },
          orderBy: [{ month: 'desc' }, { startedAt: 'desc' }],
        });
        return {
          reports: rows.map((r) => ({
            id: r.id,
            month: r.month,
            status: r.status,
            generatedAt: r.generatedAt?.toISOString() ?? null,
            byteSize: r.byteSize,
            checksum: r.checksum,
          })),
        };
      },
    );

    app.get(
      '/reports/:id/download',
      {
        onRequest: auth,
        schema: {
          summary: 'Download a complete monthly audit workbook (.xlsx)',
          tags: ['reports'],
          params: z.object({ id: identifierSchema() }),
          response: { ...READ_ERRORS, 200: WORKBOOK_BODY },
        },
      },
      async (request, reply) => {
        const partnershipId = principalOf(request).partnershipId;
        const row = await prisma.monthlyReport.findFirst({
          where: { id: request.params.id, partnershipId, status: 'complete' },
        });
        if (!row?.filePath || !fs.existsSync(row.filePath)) throw notFound(`report ${request.params.id}`, 'id');
        // A workbook holds children's data: log the download before sending it.
        await logTokenRead(prisma, request, 'workbook-download', { reportId: row.id });
        return (
          reply
            .type(XLSX)
            .header('content-disposition', `attachment; filename="corewatch-${partnershipId}-${row.month}.xlsx"`)
            // A stream is sent as it is (Fastify never serialises one); the schema above only documents the bytes.
            .send(fs.createReadStream(row.filePath) as unknown as string)
        );
      },
    );
  };
}

/**
 * Plans over HTTP: create (idempotent on the plan reference), list (keyset-paged, filtered), and one plan's timeline.
 * Everything is read from and written through services/plan-data: obligations come from the stored read model, the
 * one engine's output, never recomputed per request. Responses never carry the child's name.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { londonDateAt } from '../../../domain/calendar';
import { ANNEX_A_LISTS, annexAValueSchema } from '../../../domain/annex-a';
import { PlanFactsSchema, PolicyIdSchema } from '../../../domain/evaluate-input';
import { identifierSchema, intSchema, IsoDateSchema, TEXT_MAX, textSchema } from '../../../domain/input-policy';
import { Refusal } from '../../../domain/refusal';
import { OBLIGATION_KINDS, PLAN_ROLES } from '../../../domain/types';
import { createPlan, listPlans, planTimeline } from '../../../services/plan-data';
import type { HttpDeps } from '../../deps';
import { READ_ERRORS, WRITE_ERRORS } from '../error-responses';
import { logTokenRead, principalOf, requireScope } from '../auth';

const code = textSchema(TEXT_MAX.word);
/** Far beyond any core group's membership. */
const MAX_PEOPLE = 100;
/** Annex A counts previous plans in single figures; 999 is beyond any child's history and any column. */
const MAX_PREVIOUS_PLANS = 999;

export const CreatePlanSchema = z
  .strictObject({
    reference: identifierSchema(),
    teamId: identifierSchema(),
    child: z.strictObject({
      localChildId: identifierSchema(),
      name: textSchema(TEXT_MAX.name).exactOptional(),
      dateOfBirth: IsoDateSchema.exactOptional(),
      // Ofsted ILACS Annex A's coded values: corewatch's key or the template's code (domain/annex-a.ts).
      gender: annexAValueSchema(ANNEX_A_LISTS.gender)
        .describe("Annex A gender: a key or its code ('female' or 'b) Female')")
        .exactOptional(),
      ethnicity: annexAValueSchema(ANNEX_A_LISTS.ethnicity)
        .describe("Annex A ethnicity: the DfE code or Annex A's lettered code ('WBRI' or 'a) WBRI')")
        .exactOptional(),
      disability: annexAValueSchema(ANNEX_A_LISTS.yesNo)
        .describe("Annex A 'Does the Child have a Disability': yes, no, unknown or its code ('a) Yes')")
        .exactOptional(),
    }),
    policy: PolicyIdSchema,
    type: PlanFactsSchema.shape.type,
    startedOn: IsoDateSchema,
    people: z
      .array(
        z.strictObject({
          personId: identifierSchema(),
          role: z.enum(PLAN_ROLES, { error: `must be one of ${PLAN_ROLES.join(', ')}` }),
          agency: code.exactOptional(),
        }),
      )
      .min(1)
      .max(MAX_PEOPLE),
    annexA: z
      .strictObject({
        initialCategory: annexAValueSchema(ANNEX_A_LISTS.category)
          .describe(
            "category of abuse decided by the initial conference: a key or its code ('neglect' or 'a) Neglect')",
          )
          .exactOptional(),
        emergencyProtectionLast6Months: z
          .union([z.boolean(), annexAValueSchema(ANNEX_A_LISTS.yesNo)])
          .describe(
            'subject to an emergency protection order or police protection in the six months before: true/false, or yes, no, unknown or its code',
          )
          .exactOptional(),
        previousPlans: intSchema(0, MAX_PREVIOUS_PLANS).exactOptional(),
      })
      .exactOptional(),
  })
  .superRefine((plan, ctx) => {
    // One row per (person, role): the same pair twice says nothing more, and the database keeps one.
    const seen = new Set<string>();
    plan.people.forEach((p, i) => {
      const key = `${p.personId}|${p.role}`;
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: ['people', i], message: `${p.personId} is already listed as ${p.role}` });
      seen.add(key);
    });
  });

const PlanParams = z.object({ planId: identifierSchema() });

/**
 * A page cursor: opaque, but the document says what it is made of (base64url, as services/plan-data/lists.ts writes
 * it), so a client, or a fuzzer, knows a cursor with other characters is malformed. One this API did not give out
 * is a 400 all the same.
 */
const cursorSchema = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'is not a cursor this list gave out' });

const ListQuery = z.strictObject({
  team: identifierSchema().optional(),
  socialWorker: identifierSchema().optional().describe('only plans whose social worker is this person id'),
  policy: PolicyIdSchema.optional(),
  status: z.enum(['open', 'ended']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  kind: z
    .enum(OBLIGATION_KINDS)
    .optional()
    .describe('only plans with an unmet obligation of this kind (overdue, with overdue=true)'),
  minDaysOverdue: z.coerce
    .number()
    .int()
    .min(1)
    .max(36500)
    .optional()
    .describe('only plans with an obligation overdue by at least this many days'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorSchema.optional().describe("the page after this one: a previous response's nextCursor (opaque)"),
  before: cursorSchema.optional().describe("the page before this one: a previous response's previousCursor (opaque)"),
});

const CitationOut = z.object({
  id: z.string(),
  source: z.string(),
  section: z.string(),
  quote: z.string(),
  note: z.string().optional(),
  basis: z
    .enum(['stated', 'default'])
    .describe("stated: the quote gives the rule's number; default: it does not, the note says whose number it is"),
});

const ObligationOut = z.object({
  key: z.string(),
  kind: z.string(),
  due: z.string(),
  status: z.string(),
  metOn: z.string().optional(),
  from: z.string(),
  rulesVersion: z.string(),
  rule: CitationOut,
});

const CreatedOut = z.object({ reference: z.string(), outcome: z.enum(['created', 'existing']) });

const PlanSummaryOut = z.object({
  reference: z.string(),
  teamId: z.string(),
  policy: z.string(),
  type: z.string(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  nextDue: z.object({ key: z.string(), kind: z.string(), due: z.string(), status: z.string() }).nullable(),
  daysOverdue: z.number().int(),
  evaluationError: z.string().nullable(),
});

export function planRoutes(deps: HttpDeps): FastifyPluginAsyncZod {
  const today = deps.today ?? (() => londonDateAt(Date.now()));
  const { prisma } = deps;

  return async (app) => {
    app.post(
      '/plans',
      {
        onRequest: requireScope(prisma, 'plans:write'),
        schema: {
          summary: 'Register a plan decided at an ICPC (idempotent on its reference)',
          tags: ['plans'],
          body: CreatePlanSchema,
          response: { 200: CreatedOut, 201: CreatedOut, ...WRITE_ERRORS },
        },
      },
      async (request, reply) => {
        const partnershipId = principalOf(request).partnershipId;
        const body = request.body;
        const outcome = await createPlan(
          prisma,
          {
            id: body.reference,
            partnershipId,
            teamId: body.teamId,
            child: body.child,
            policyId: body.policy,
            type: body.type,
            startedOn: body.startedOn,
            roles: body.people,
            ...(body.annexA ? { annexA: body.annexA } : {}),
          },
          today(),
        );
        if (outcome === 'existing') return reply.code(200).send({ reference: body.reference, outcome });
        if (deps.startPlan) {
          // Best effort: the plan is stored; if Temporal is down its first relayed event starts the workflow.
          await deps
            .startPlan(body.reference)
            .catch((error: unknown) => request.log.warn({ err: error }, 'could not start plan workflow now'));
        }
        return reply.code(201).send({ reference: body.reference, outcome });
      },
    );

    app.get(
      '/plans',
      {
        onRequest: requireScope(prisma, 'plans:read'),
        schema: {
          summary: "List the partnership's plans (no child names)",
          tags: ['plans'],
          querystring: ListQuery,
          response: {
            ...READ_ERRORS,
            200: z.object({
              plans: z.array(PlanSummaryOut),
              total: z.number().int(),
              nextCursor: z.string().nullable(),
              previousCursor: z.string().nullable(),
              asOf: z.string(),
            }),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const asOf = today();
        const page = await listPlans(
          prisma,
          { partnershipId: principalOf(request).partnershipId },
          {
            ...(q.team ? { teamId: q.team } : {}),
            ...(q.socialWorker ? { socialWorkerId: q.socialWorker } : {}),
            ...(q.policy ? { policyId: q.policy } : {}),
            ...(q.status ? { status: q.status } : {}),
            ...(q.overdue ? { overdue: q.overdue === 'true' } : {}),
            ...(q.kind ? { kind: q.kind } : {}),
            ...(q.minDaysOverdue !== undefined ? { minDaysOverdue: q.minDaysOverdue } : {}),
          },
          {
            limit: q.limit,
            ...(q.cursor ? { after: q.cursor } : {}),
            ...(q.before ? { before: q.before } : {}),
            names: { after: 'cursor', before: 'before' },
          },
          asOf,
        );
        return { plans: page.rows, total: page.total, nextCursor: page.next, previousCursor: page.previous, asOf };
      },
    );

    app.get(
      '/plans/:planId',
      {
        onRequest: requireScope(prisma, 'plans:read'),
        schema: {
          summary: "One plan's timeline: events, obligations with citations, notifications sent",
          tags: ['plans'],
          params: PlanParams,
          querystring: z.strictObject({ asOf: IsoDateSchema.optional() }),
          response: {
            ...READ_ERRORS,
            200: z.object({
              reference: z.string(),
              teamId: z.string(),
              policy: z.string(),
              rulesVersion: z.string(),
              type: z.string(),
              startedOn: z.string(),
              endedOn: z.string().nullable(),
              evaluationError: z.string().nullable(),
              asOf: z.string(),
              events: z.array(z.record(z.string(), z.unknown())),
              meetings: z
                .array(
                  z.object({
                    on: z.string(),
                    verdict: z.enum(['quorate', 'not-quorate', 'attendance-not-recorded', 'no-quorum-rule']),
                    text: z.string(),
                    rule: CitationOut.optional(),
                  }),
                )
                .describe(
                  "each meeting held and whether it could go ahead under the plan's quorum (a not-quorate one met nothing)",
                ),
              people: z
                .array(
                  z.object({ personId: z.string(), name: z.string(), role: z.string(), agency: z.string().nullable() }),
                )
                .describe('who holds each role on the plan today'),
              peopleChanges: z.array(z.object({ on: z.string(), what: z.string() })),
              obligations: z.array(ObligationOut),
              notifications: z.array(
                z.object({
                  level: z.string(),
                  subject: z.string(),
                  sentAt: z.string().nullable(),
                  roles: z.array(z.string()),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const partnershipId = principalOf(request).partnershipId;
        const asOf = request.query.asOf ?? today();
        const plan = await planTimeline(prisma, { planId: request.params.planId, partnershipId }, asOf, today());
        if (!plan) throw new Refusal('not-found', 'planId', `plan ${request.params.planId} does not exist`);
        // A read of a child's record: logged before anything is returned.
        await logTokenRead(prisma, request, 'plan-read', { planId: plan.reference });
        return {
          reference: plan.reference,
          teamId: plan.teamId,
          policy: plan.policy,
          rulesVersion: plan.rulesVersion,
          type: plan.type,
          startedOn: plan.startedOn,
          endedOn: plan.endedOn,
          evaluationError: plan.evaluationError,
          asOf,
          events: plan.events as unknown as Array<Record<string, unknown>>,
          meetings: plan.meetings,
          people: plan.people,
          peopleChanges: plan.peopleChanges,
          obligations: plan.obligations,
          notifications: plan.notifications,
        };
      },
    );
  };
}

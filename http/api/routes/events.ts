/**
 * Event intake over HTTP. A 202 means the event is durably stored with its delivery row and its plan's obligations
 * refreshed, in one transaction (services/plan-data/events.ts):
 * it reaches the plan's workflow even if Temporal is down now. Writes are idempotent on the client's event id.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdentifiedEventSchema } from '../../../domain/evaluate-input';
import { londonDateAt } from '../../../domain/calendar';
import { identifierSchema } from '../../../domain/input-policy';
import { Refusal } from '../../../domain/refusal';
import { planInPartnership, recordEvents } from '../../../services/plan-data';
import type { IdentifiedEvent } from '../../../domain/types';
import type { HttpDeps } from '../../deps';
import { WRITE_ERRORS } from '../error-responses';
import { principalOf, requireScope } from '../auth';

const PlanParams = z.object({ planId: identifierSchema() });

/** What every event write refuses, in the API document. */
const REFUSALS =
  "Stored with its delivery row and the plan's obligations refreshed, in one transaction. Refused with nothing stored " +
  '(422, naming the field): an event dated before the plan started, after the plan ended, or after today in ' +
  'Europe/London (it cannot have happened yet; a core-group-scheduled booking may be for a future day).';
const Outcome = z.enum(['recorded', 'duplicate']);
export const MAX_BATCH = 500;

export function eventRoutes(deps: HttpDeps): FastifyPluginAsyncZod {
  const relay = (ids: string[], log: { warn(obj: object, msg: string): void }): void => {
    if (!deps.relay) return;
    deps
      .relay(ids)
      .catch((error: unknown) => log.warn({ err: error }, 'immediate relay failed; the relay loop will retry'));
  };

  /** 404 unless the plan belongs to the caller's partnership: another partnership's plan is never revealed. */
  const ownPlan = async (planId: string, partnershipId: string): Promise<void> => {
    if (!(await planInPartnership(deps.prisma, planId, partnershipId)))
      throw new Refusal('not-found', 'planId', `plan ${planId} does not exist`);
  };
  const today = deps.today ?? (() => londonDateAt(Date.now()));

  return async (app) => {
    const auth = requireScope(deps.prisma, 'events:write');

    app.post(
      '/plans/:planId/events',
      {
        onRequest: auth,
        schema: {
          summary: 'Record one event on a plan (idempotent on its id)',
          description: REFUSALS,
          tags: ['events'],
          params: PlanParams,
          body: IdentifiedEventSchema,
          response: { 202: z.object({ id: z.string(), outcome: Outcome }), ...WRITE_ERRORS },
        },
      },
      async (request, reply) => {
        const { planId } = request.params;
        await ownPlan(planId, principalOf(request).partnershipId);
        const event = request.body as IdentifiedEvent;
        const [outcome] = await recordEvents(deps.prisma, planId, [event], today());
        relay([event.id], request.log);
        return reply.code(202).send({ id: event.id, outcome: outcome! });
      },
    );

    app.post(
      '/plans/:planId/events/batch',
      {
        onRequest: auth,
        schema: {
          summary: `Record up to ${MAX_BATCH} events on a plan, all or nothing`,
          description: REFUSALS,
          tags: ['events'],
          params: PlanParams,
          body: z.strictObject({ events: z.array(IdentifiedEventSchema).min(1).max(MAX_BATCH) }),
          response: {
            202: z.object({ results: z.array(z.object({ id: z.string(), outcome: Outcome })) }),
            ...WRITE_ERRORS,
          },
        },
      },
      async (request, reply) => {
        const { planId } = request.params;
        await ownPlan(planId, principalOf(request).partnershipId);
        const events = request.body.events as IdentifiedEvent[];
        const outcomes = await recordEvents(deps.prisma, planId, events, today());
        const results = events.map((e, i) => ({ id: e.id, outcome: outcomes[i]! }));
        relay(
          results.filter((r) => r.outcome === 'recorded').map((r) => r.id),
          request.log,
        );
        return reply.code(202).send({ results });
      },
    );
  };
}

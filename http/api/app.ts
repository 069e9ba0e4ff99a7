/**
 * The HTTP API, built apart from the process that listens (api/server.ts), so tests call `app.inject` without a port.
 * Routes are zod-typed with the shared domain schemas, and the same schemas produce the OpenAPI 3.1 document at
 * `GET /api/v1/openapi.json`. One error handler turns validation errors into a 400 naming each field, refusals
 * (EventRejectedError) into their status, and anything else into a generic 500 (logged, never leaked). Every response
 * carries the security headers of api/security-headers.ts; request bodies are limited to 1 MiB.
 */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from '../../platform/env';
import type { PrismaClient } from '../../platform/database';
import { IMPOSSIBLE_DATE } from '../../domain/evaluate-input';
import { PlanInputError } from '../../domain/obligations';
import { EventRejectedError } from '../../services/event-intake';
import { eventRoutes } from './routes/events';
import { planRoutes } from './routes/plans';
import { reportRoutes } from './routes/reports';
import { addSecurityHeaders } from '../security-headers';

export interface AppDeps {
  prisma: PrismaClient;
  config: Config;
  /** Best-effort immediate delivery of just-recorded events; the relay loop delivers whatever this misses. */
  relay?: (eventIds: string[]) => Promise<void>;
  /** Best-effort start of a just-stored plan's workflow; the first relayed event starts it otherwise. */
  startPlan?: (planId: string) => Promise<void>;
  /** Today in Europe/London, for `overdue` and timelines (injected so tests can fix it). */
  today?: () => string;
  logger?: boolean;
}

export const API_PREFIX = '/api/v1';

export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({ bodyLimit: 1024 * 1024, logger: deps.logger ?? false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  addSecurityHeaders(app, deps.config);

  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'corewatch', version: '1.0.0', description: 'Child protection plan deadlines, events and audits.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.flatMap((v) => toIssues(v.instancePath, v.message ?? 'is invalid', v.params));
      // Only dates that do not exist (2026-02-30): well-formed, but a contradiction, so a 422 as other contradictions.
      if (error.validation.every((v) => isImpossibleDate(v.params))) {
        return reply.code(422).send({ error: 'contradiction', field: issues[0]!.path, message: issues[0]!.message, issues });
      }
      return reply.code(400).send({ error: 'invalid-request', issues });
    }
    if (error instanceof EventRejectedError) {
      return reply.code(error.status).send({ error: rejectionName(error.status), field: error.field, message: error.message });
    }
    if (error instanceof PlanInputError) {
      return reply.code(422).send({ error: 'contradiction', field: error.path, message: error.reason });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors (malformed JSON, body too large, wrong content type): their messages are safe.
      return reply.code(error.statusCode).send({ error: 'bad-request', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'internal', message: 'something went wrong; the request was not completed' });
  });

  app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true }, logLevel: 'warn' }, async () => app.swagger());
      await api.register(planRoutes(deps));
      await api.register(eventRoutes(deps));
      await api.register(reportRoutes(deps));
    },
    { prefix: API_PREFIX },
  );
  return app;
}

/** `/events/2/on` → `events[2].on`, the way domain/evaluate-input.ts names fields. */
export function fieldPath(instancePath: string): string {
  const parts = instancePath.split('/').filter((p) => p !== '');
  let result = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) result += `[${part}]`;
    else result += result === '' ? part : `.${part}`;
  }
  return result === '' ? '(body)' : result;
}

function toIssues(instancePath: string, message: string, params: unknown): Array<{ path: string; message: string }> {
  const keys = (params as { keys?: unknown } | undefined)?.keys;
  if (Array.isArray(keys)) {
    return keys.map((key) => ({ path: fieldPath(`${instancePath}/${String(key)}`), message: 'is not a known field' }));
  }
  return [{ path: fieldPath(instancePath), message }];
}

function isImpossibleDate(params: unknown): boolean {
  return (params as { params?: Record<string, unknown> } | undefined)?.params?.[IMPOSSIBLE_DATE] === true;
}

function rejectionName(status: 404 | 409 | 422): string {
  return status === 404 ? 'not-found' : status === 409 ? 'conflict' : 'contradiction';
}

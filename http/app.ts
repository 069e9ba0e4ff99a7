/**
 * The HTTP app, assembled in this one place: the API (/api/v1) and the dashboard's pages on one Fastify instance,
 * with the security headers every response carries and the error handler every API route shares. The listening
 * shell (http/server.ts) and the tests build this same app; tests call `app.inject` without opening a port.
 *
 * Errors: validation errors are a 400 naming each field (a well-formed date that does not exist, a 422); refusals
 * (domain/refusal.ts) get their status from http/errors.ts; Fastify's own client errors keep theirs; PostgreSQL
 * unreachable is a 503 with Retry-After; anything else is a generic 500, logged and never leaked. Request bodies are
 * limited to 1 MiB.
 */
import sensible from '@fastify/sensible';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { IMPOSSIBLE_DATE } from '../domain/input-policy';
import { isRefusal } from '../domain/refusal';
import { isDatabaseUnavailable } from '../platform/database';
import { API_PREFIX, registerApi } from './api';
import { registerDashboard } from './dashboard';
import type { HttpDeps } from './deps';
import { refusalBody, refusalStatus, unavailableBody, UNAVAILABLE_RETRY_AFTER_SECONDS } from './errors';
import { registerInputGuard } from './input-guard';
import { registerMetrics } from './metrics';
import { registerMethodNotAllowed } from './method-not-allowed';
import { sendMessage } from './dashboard/replies';
import { addSecurityHeaders } from './security-headers';

export type { HttpDeps };

export function buildHttpApp(deps: HttpDeps): FastifyInstance {
  const app = Fastify({
    bodyLimit: 1024 * 1024,
    logger: deps.logger ?? false,
    trustProxy: deps.config.HTTP_TRUST_PROXY,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  // reply.notFound(...) and the rest: the dashboard turns them into pages; the API keeps its own error bodies below.
  app.register(sensible);
  addSecurityHeaders(app, deps.config);
  registerInputGuard(app);
  // Before any route, so it knows them all: 405 with Allow for a method a path does not offer, JSON on the API and a
  // page on the dashboard.
  registerMethodNotAllowed(app, (request, reply, allow) => {
    const message = `${request.method} is not offered here (${allow})`;
    return request.url.startsWith(API_PREFIX)
      ? reply.code(405).send({ error: 'method-not-allowed', message })
      : sendMessage(reply, 405, 'Sorry, there is a problem', `${message}.`);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.flatMap((v) => toIssues(v.instancePath, v.message ?? 'is invalid', v.params));
      // Only dates that do not exist (2026-02-30): well-formed, but a contradiction, so a 422 as other contradictions.
      if (error.validation.every((v) => isImpossibleDate(v.params))) {
        return reply
          .code(422)
          .send({ error: 'contradiction', field: issues[0]!.path, message: issues[0]!.message, issues });
      }
      return reply.code(400).send({ error: 'invalid-request', issues });
    }
    if (isRefusal(error)) return reply.code(refusalStatus(error)).send(refusalBody(error));
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors (malformed JSON, body too large, wrong content type): their messages are safe.
      return reply.code(error.statusCode).send({ error: 'bad-request', message: error.message });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply.code(503).header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS)).send(unavailableBody());
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'internal', message: 'something went wrong; the request was not completed' });
  });

  registerApi(app, deps);
  registerDashboard(app, deps);
  registerMetrics(app, deps);
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

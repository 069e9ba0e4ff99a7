/**
 * The HTTP API under /api/v1: zod-typed routes with the shared domain schemas, from which the OpenAPI 3.1 document at
 * `GET /api/v1/openapi.json` is produced. Registered on the one app by http/app.ts, which also owns the error handler
 * (validation errors name each field; refusals map to their status in http/errors.ts).
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { HttpDeps } from '../deps';
import { eventRoutes } from './routes/events';
import { planRoutes } from './routes/plans';
import { reportRoutes } from './routes/reports';

export const API_PREFIX = '/api/v1';

export function registerApi(app: FastifyInstance, deps: HttpDeps): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'corewatch',
        version: '1.0.0',
        description: 'Child protection plan deadlines, events and audits.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // The document describes the API only: the dashboard's pages share the app but are not part of it.
    transform: (route) => {
      const transformed = jsonSchemaTransform(route);
      return route.url.startsWith(API_PREFIX)
        ? transformed
        : { ...transformed, schema: { ...transformed.schema, hide: true } };
    },
  });

  app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true }, logLevel: 'warn' }, async () => app.swagger());
      await api.register(planRoutes(deps));
      await api.register(eventRoutes(deps));
      await api.register(reportRoutes(deps));
      // A path the API has, asked with a method it does not offer there, is a 405 before this (http/app.ts).
      api.setNotFoundHandler(async (request, reply) =>
        reply
          .code(404)
          .send({ error: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
      );
    },
    { prefix: API_PREFIX },
  );
}

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
      const offered = offeredMethods(api);
      api.get('/openapi.json', { schema: { hide: true }, logLevel: 'warn' }, async () => app.swagger());
      await api.register(planRoutes(deps));
      await api.register(eventRoutes(deps));
      await api.register(reportRoutes(deps));
      // A path the API has, asked with a method it does not offer there: 405 with the methods it does (RFC 9110).
      api.setNotFoundHandler(async (request, reply) => {
        const allow = offered(request.url.split('?')[0] ?? '');
        if (allow.length > 0) {
          return reply
            .code(405)
            .header('allow', allow.join(', '))
            .send({
              error: 'method-not-allowed',
              message: `${request.method} is not offered here (${allow.join(', ')})`,
            });
        }
        return reply
          .code(404)
          .send({ error: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
      });
    },
    { prefix: API_PREFIX },
  );
}

/**
 * Records the routes registered below `api` and answers which methods a request path has (HEAD with GET, as Fastify
 * serves it). Route patterns are matched segment by segment: `:name` stands for any one segment.
 */
function offeredMethods(api: FastifyInstance): (path: string) => string[] {
  const routes: Array<{ methods: string[]; segments: string[] }> = [];
  api.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    routes.push({ methods, segments: route.url.split('/') });
  });
  return (path) => {
    const segments = path.split('/');
    const allowed = new Set<string>();
    for (const route of routes) {
      if (route.segments.length !== segments.length) continue;
      if (route.segments.every((s, i) => s.startsWith(':') || s === segments[i]))
        route.methods.forEach((m) => allowed.add(m));
    }
    return [...allowed].sort();
  };
}

/**
 * GET /metrics: Prometheus's text format (services/metrics.ts), for an operator's monitoring, never a person's
 * browser. Protected by its own bearer token, METRICS_TOKEN (platform/env.ts): the counts span every partnership, so
 * no partnership's API token may read them, and loopback alone would let anything behind the TLS proxy in. Unset,
 * the route is not there (404). Compared as sha256 digests in constant time. Cheap by construction: indexed counts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectMetrics, prometheusText } from '../services/metrics';
import type { HttpDeps } from './deps';

export function registerMetrics(app: FastifyInstance, deps: Pick<HttpDeps, 'prisma' | 'config' | 'relayStats'>): void {
  const token = deps.config.METRICS_TOKEN;
  if (token === undefined) return;
  const expected = digest(token);
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthenticated', message: 'the metrics bearer token is required' });
    }
    const snapshot = await collectMetrics(deps.prisma, deps.relayStats);
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(prometheusText(snapshot));
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

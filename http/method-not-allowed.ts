/**
 * A path the app has, asked with a method it does not offer there: 405 with the methods it does (RFC 9110), on the
 * API and the dashboard alike. Decided as the request arrives (onRequest), before anything of it is read: a body
 * method with a body that is not JSON, or a QUERY without a Content-Type, would otherwise be refused as a malformed
 * body (400, 415) for a path that does not take that method at all (the fuzzer found both, issue 9).
 *
 * Registered on the app's root before any route, so it sees every route (`onRoute`) and runs for every request that
 * matched none (`request.is404`). Route patterns are matched segment by segment: `:name` stands for any one segment
 * and a trailing `*` for the rest. HEAD is listed with GET, as Fastify serves it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type MethodNotAllowedAnswer = (request: FastifyRequest, reply: FastifyReply, allow: string) => FastifyReply;

export function registerMethodNotAllowed(app: FastifyInstance, answer: MethodNotAllowedAnswer): void {
  const offered = offeredMethods(app);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return undefined;
    const allow = offered(request.url.split('?')[0] ?? '');
    if (allow.length === 0) return undefined;
    return answer(request, reply.header('allow', allow.join(', ')), allow.join(', '));
  });
}

/** Records the routes registered on `app` (and below it) and answers which methods a request path has. */
function offeredMethods(app: FastifyInstance): (path: string) => string[] {
  const routes: Array<{ methods: string[]; segments: string[] }> = [];
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().map(String);
    routes.push({ methods, segments: route.url.split('/') });
  });
  return (path) => {
    const segments = path.split('/');
    const allowed = new Set<string>();
    for (const route of routes) {
      const last = route.segments.length - 1;
      const wildcard = route.segments[last] === '*';
      if (wildcard ? segments.length < route.segments.length : route.segments.length !== segments.length) continue;
      if (route.segments.every((s, i) => (wildcard && i === last) || s.startsWith(':') || s === segments[i]))
        route.methods.forEach((m) => allowed.add(m));
    }
    return [...allowed].sort();
  };
}

/**
 * Security headers on every response of the app, API and dashboard alike (registered once, in buildApp): a strict
 * Content-Security-Policy (the pages load nothing but their own stylesheet and images, and run no script), no
 * framing, no MIME sniffing, no referrer (plan references are in URLs), and `no-store` so a shared machine's cache
 * never keeps a child's record. HSTS outside development, where the service sits behind TLS.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../platform/env';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function addSecurityHeaders(app: FastifyInstance, config: Config): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    if (config.COREWATCH_ENV !== 'development') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // Static assets set their own caching; everything else may carry personal data.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

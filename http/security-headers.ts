/**
 * Security headers on every response of the app, API and dashboard alike (registered once, in buildHttpApp), set by
 * @fastify/helmet: a strict Content-Security-Policy (the pages load nothing but their own stylesheet and images, and
 * run no script), no framing, no MIME sniffing, no referrer (plan references are in URLs), cross-origin isolation of
 * windows and resources, and HSTS outside development, where the service sits behind TLS (helmet's other defaults,
 * such as X-DNS-Prefetch-Control and Origin-Agent-Cluster, come too). Helmet has no Permissions-Policy or caching
 * header, so a small hook adds them: `no-store`, so a shared machine's cache never keeps a child's record.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../platform/env';

export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=()';

export function addSecurityHeaders(app: FastifyInstance, config: Config): void {
  app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity:
      config.COREWATCH_ENV === 'development' ? false : { maxAge: 31_536_000, includeSubDomains: true },
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    // Static assets set their own caching; everything else may carry personal data.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/**
 * The plumbing of the dashboard's pages, all maintained plugins, registered on the pages' own scope (the API shares
 * none of it: it reads no cookie and parses no form):
 *  - @fastify/cookie parses and sets cookies, signing them with SESSION_SECRET;
 *  - @fastify/session keeps the signed-in session in PostgreSQL (services/sessions.ts) behind a cookie that names
 *    only the session: HttpOnly, SameSite=Lax, Secure outside development, eight hours from sign-in (not rolling);
 *    nothing is stored for someone who is not signed in;
 *  - @fastify/csrf-protection gives every form a token (hidden field `csrf`) checked against a secret in a signed
 *    cookie, so the sign-in form is protected before any session exists;
 *  - @fastify/formbody parses urlencoded forms, at most 4 KiB;
 *  - @fastify/rate-limit limits the sign-in routes that opt in (config.rateLimit), per client address.
 * Errors become pages here (a 413, a 429, a 404 from `reply.notFound`, a 503 while the database is unreachable), never
 * JSON.
 */
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import { HttpError } from '@fastify/sensible';
import session from '@fastify/session';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DashboardSessionStore, SESSION_MS } from '../../services/sessions';
import type { HttpDeps } from '../deps';
import { sendMessage } from './replies';
import { cookieOptions, CSRF_COOKIE, SESSION_COOKIE, sessionSigner } from './session';
import { isRefusal } from '../../domain/refusal';
import { refusalStatus, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../errors';
import { isDatabaseUnavailable } from '../../platform/database';

const FORM_BODY_LIMIT = 4096;

export async function registerDashboardPlugins(
  scope: FastifyInstance,
  deps: Pick<HttpDeps, 'prisma' | 'config'>,
): Promise<void> {
  const { prisma, config } = deps;
  await scope.register(cookie, { secret: config.SESSION_SECRET });
  await scope.register(session, {
    secret: sessionSigner(config),
    cookieName: SESSION_COOKIE,
    cookie: { ...cookieOptions(config), maxAge: SESSION_MS },
    store: new DashboardSessionStore(prisma),
    saveUninitialized: false,
    // Eight hours from sign-in, not from the last request: a session left open on a shared machine still ends.
    rolling: false,
  });
  await scope.register(csrfProtection, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { ...cookieOptions(config), signed: true },
    getToken: (request) => {
      const token = (request.body as Record<string, unknown> | undefined)?.['csrf'];
      return typeof token === 'string' ? token : undefined;
    },
  });
  await scope.register(formbody, { bodyLimit: FORM_BODY_LIMIT });
  await scope.register(rateLimit, { global: false });
  scope.setErrorHandler(dashboardErrorHandler);
}

/** Whether @fastify/csrf-protection refused the request (no CSRF secret cookie, or a token that does not match it). */
export function isCsrfRefusal(error: FastifyError): boolean {
  return error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN';
}

export function dashboardErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // The same refusals, with the same statuses, as the API (http/errors.ts), shown as a page.
  if (isRefusal(error))
    return sendMessage(reply, refusalStatus(error), 'Sorry, there is a problem', `${error.field}: ${error.reason}.`);
  const status = error.statusCode;
  if (status === 429) return sendMessage(reply, 429, 'Too many sign-in attempts', 'Wait a minute, then try again.');
  // Our own refusals (`reply.notFound('...')`) are written for people; say what they say.
  if (error instanceof HttpError && error.expose) {
    const httpStatus = Number(error.statusCode);
    return sendMessage(
      reply,
      httpStatus,
      httpStatus === 404 ? 'Page not found' : 'Sorry, there is a problem',
      error.message,
    );
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's and the plugins' own (a form over 4 KiB, a bad CSRF token): nothing of the request is repeated back.
    return sendMessage(reply, status, 'Sorry, there is a problem', 'The request could not be understood.');
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    return sendMessage(
      reply,
      503,
      'Sorry, the service is unavailable',
      `corewatch cannot reach its database just now. Try again in a few seconds; if you were saving something, save it again.`,
    );
  }
  request.log.error({ err: error }, 'dashboard error');
  return sendMessage(
    reply,
    500,
    'Sorry, there is a problem',
    'Sorry, there is a problem with the service. Try again later.',
  );
}

/**
 * The dashboard's cookies, over @fastify/cookie and @fastify/session (wired in dashboard/plugins.ts). The session
 * cookie carries only the signed session id; who is signed in is the session's row in PostgreSQL
 * (services/sessions.ts), so signing out, or an administrator revoking a person's sessions, ends it on the server.
 * The session names the person, never their rights, which are read from the database on every request
 * (dashboard/access.ts), so a role removed or a person deactivated takes effect at once.
 *
 * An OpenID Connect sign-in in progress (state, nonce, PKCE verifier, return path) crosses the round trip to the
 * provider in a signed cookie of its own, on /auth only, good for ten minutes: it exists before anyone is signed
 * in, when there is no stored session to keep it in.
 */
import { Signer } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/env';
import type { Identity } from '../../services/sessions';
import type { PendingSignIn } from './oidc';
import type { PersonStanding } from '../../services/plan-data';

export type { Identity };

declare module 'fastify' {
  interface Session {
    /** Set at sign-in; a session without it is nobody's (and is never stored). */
    identity?: Identity;
    /** Read with the session for this request only (services/sessions.ts): the person's rights, never stored. */
    standing?: PersonStanding | null;
  }
}

export const SESSION_COOKIE = 'cw_session';
export const CSRF_COOKIE = 'cw_csrf';
const OIDC_COOKIE = 'cw_oidc';
const OIDC_PATH = '/auth';
const PENDING_MS = 600_000;

/** Whether the built-in demo sign-in is offered: never in production. */
export function demoAllowed(config: Config): boolean {
  return config.COREWATCH_ENV !== 'production';
}

/**
 * What every dashboard cookie is: HttpOnly, Secure everywhere but plain-http development, and SameSite=Lax so that
 * the provider's redirect back to /auth/callback carries the OIDC cookie.
 */
export function cookieOptions(config: Config) {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: config.COREWATCH_ENV !== 'development' } as const;
}

/** Signs the session cookie: the session id and its HMAC-SHA256 under SESSION_SECRET, nothing else. */
export function sessionSigner(config: Config): Signer {
  return new Signer(config.SESSION_SECRET);
}

/** The signed-in person, or undefined (a demo session is refused in production, even one stored before). */
export function identityOf(config: Config, request: FastifyRequest): Identity | undefined {
  const identity = request.session?.identity;
  if (identity?.demo && !demoAllowed(config)) return undefined;
  return identity;
}

/**
 * Signs `identity` in under a new session id (whatever session the browser held is destroyed, so an id known before
 * sign-in is worth nothing after), with a new CSRF secret (the old one was issued to whoever held the browser before).
 * @fastify/session stores the session and sets its cookie as the reply is sent.
 */
export async function startSession(request: FastifyRequest, reply: FastifyReply, identity: Identity): Promise<void> {
  await request.session.regenerate();
  request.session.identity = identity;
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
  if (request.session.cookie.secure === true && request.protocol !== 'https') {
    // @fastify/session will not set a Secure cookie on a plain-http request: the sign-in would silently not stick.
    request.log.warn(
      'signed in over plain http: no session cookie is set; is the TLS proxy in HTTP_TRUST_PROXY, and does it send X-Forwarded-Proto?',
    );
  }
}

/** Ends the session on the server (its row is deleted, so its cookie is worthless wherever it was copied) and clears the cookies. */
export async function endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await request.session.destroy();
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

export function setPendingSignIn(config: Config, reply: FastifyReply, pending: PendingSignIn): void {
  // Readable by its holder (it is HttpOnly, so not by scripts), unforgeable without SESSION_SECRET; it carries its own
  // expiry because a cookie's Max-Age is only the browser's promise.
  const value = Buffer.from(JSON.stringify({ ...pending, exp: Date.now() + PENDING_MS })).toString('base64url');
  reply.setCookie(OIDC_COOKIE, value, {
    ...cookieOptions(config),
    path: OIDC_PATH,
    maxAge: PENDING_MS / 1000,
    signed: true,
  });
}

/** The sign-in this browser started, or undefined when absent, forged or expired. Used once: the cookie is cleared. */
export function takePendingSignIn(request: FastifyRequest, reply: FastifyReply): PendingSignIn | undefined {
  reply.clearCookie(OIDC_COOKIE, { path: OIDC_PATH });
  const unsigned = request.unsignCookie(request.cookies[OIDC_COOKIE] ?? '');
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const data = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { state, nonce, codeVerifier, returnTo, exp } = data;
    if (typeof exp !== 'number' || exp < Date.now()) return undefined;
    if (typeof state !== 'string' || typeof nonce !== 'string' || typeof codeVerifier !== 'string') return undefined;
    return { state, nonce, codeVerifier, returnTo: safeReturnPath(returnTo) };
  } catch {
    return undefined;
  }
}

/** Only a path on this site may be returned to after sign-in (never `//evil.example` or an absolute URL). */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 ? value : '/';
}

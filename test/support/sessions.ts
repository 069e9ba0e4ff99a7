/**
 * Signing in from a test, the supported ways: a real session written through the session store with the cookie the
 * app would set for it (`signedInCookie`: any person, demo or not, active or not), or the demo sign-in form posted
 * through `app.inject` with the CSRF token its page issued (`signInThroughDemoForm`).
 *
 * Requests that sign in say they came through the TLS-terminating proxy (`x-forwarded-proto: https`; the app trusts
 * loopback proxies by default): outside development the session cookie is Secure, and @fastify/session sets it only
 * over HTTPS, as production's proxy reports it.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../platform/env';
import type { PrismaClient } from '../../platform/database';
import { SESSION_COOKIE, sessionSigner } from '../../http/dashboard/session';
import { DashboardSessionStore, SESSION_MS, type Identity } from '../../services/sessions';

export const VIA_TLS_PROXY = { 'x-forwarded-proto': 'https' } as const;

type Who = Pick<Identity, 'personId' | 'partnershipId'> & Partial<Identity>;

/** A `cookie` header naming a new stored session of `who` (not a demo session unless it says so). */
export async function signedInCookie(prisma: PrismaClient, config: Config, who: Who): Promise<{ cookie: string }> {
  const { cookie } = await storeSession(prisma, config, who);
  return { cookie };
}

export interface StoredTestSession {
  sessionId: string;
  /** The session cookie's value as the app sets it (the signed id, URL-encoded). */
  value: string;
  /** A `cookie` header naming it. */
  cookie: string;
  /** Stores the same session again (after a sign-out deleted it): the same cookie works once more. */
  restore(): Promise<void>;
}

/** A new stored session of `who`, with its id and cookie. */
export async function storeSession(prisma: PrismaClient, config: Config, who: Who): Promise<StoredTestSession> {
  const sessionId = randomBytes(24).toString('base64url');
  const identity: Identity = { displayName: who.personId, demo: false, ...who };
  const store = new DashboardSessionStore(prisma);
  const restore = () =>
    store.write(sessionId, {
      cookie: { originalMaxAge: SESSION_MS, expires: new Date(Date.now() + SESSION_MS) },
      identity,
    });
  await restore();
  const value = encodeURIComponent(sessionSigner(config).sign(sessionId));
  return { sessionId, value, cookie: `${SESSION_COOKIE}=${value}`, restore };
}

/** What a browser holds after opening the sign-in page: its CSRF cookie, and the token in its forms. */
export async function signInForm(app: FastifyInstance): Promise<{ cookie: string; csrf: string }> {
  const res = await app.inject({ method: 'GET', url: '/sign-in' });
  const csrf = /name="csrf" value="([^"]+)"/.exec(res.body)?.[1];
  if (!csrf) throw new Error(`no CSRF token on the sign-in page (status ${res.statusCode})`);
  return { cookie: cookieHeader(res.headers['set-cookie']), csrf };
}

/** Posts the demo sign-in form as `personId`; resolves to the `cookie` header of the session it started. */
export async function signInThroughDemoForm(app: FastifyInstance, personId: string): Promise<{ cookie: string }> {
  const form = await signInForm(app);
  const res = await app.inject({
    method: 'POST',
    url: '/sign-in/demo',
    payload: new URLSearchParams({ csrf: form.csrf, personId, returnTo: '/' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie, ...VIA_TLS_PROXY },
  });
  const session = cookieHeader(res.headers['set-cookie'], SESSION_COOKIE);
  if (res.statusCode !== 303 || session === '')
    throw new Error(`demo sign-in as ${personId} failed: ${res.statusCode} ${res.body}`);
  return { cookie: session };
}

/** The `name=value` pairs of Set-Cookie headers (only `name`'s, if given) as a request's `cookie` header. */
export function cookieHeader(setCookie: string | string[] | undefined, name?: string): string {
  const all = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  return all
    .map((c) => c.split(';')[0]!)
    .filter((pair) => (name === undefined || pair.startsWith(`${name}=`)) && !pair.endsWith('='))
    .join('; ');
}

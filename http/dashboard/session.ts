/**
 * The dashboard's cookies. A signed-in person is sealed in a signed, HttpOnly, SameSite=Lax cookie (HMAC-SHA256 with
 * SESSION_SECRET, node:crypto); the cookie names the person, never their rights, which are read from the database on
 * every request (dashboard/access.ts), so a role removed or a person deactivated takes effect at once. Every form
 * POST carries a CSRF token that must equal the one in its cookie (double submit). The same sealing carries an
 * OpenID Connect sign-in in progress (state, nonce, PKCE verifier) across the round trip to the provider.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/env';

export interface Identity {
  /** The Person signed in. */
  personId: string;
  /** Every page confines its reads to this partnership. */
  partnershipId: string;
  displayName: string;
  /** True for the built-in demo sign-in: every page then says so, and production refuses the session. */
  demo: boolean;
}

export const SESSION_COOKIE = 'cw_session';
export const CSRF_COOKIE = 'cw_csrf';
const OIDC_COOKIE = 'cw_oidc';
const SESSION_MS = 8 * 3_600_000;

/** Whether the built-in demo sign-in is offered: never in production. */
export function demoAllowed(config: Config): boolean {
  return config.COREWATCH_ENV !== 'production';
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `payload.signature`: readable by its holder (it is HttpOnly, so not by scripts), unforgeable without the secret. */
function seal(secret: string, data: object, ttlMs: number, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...data, exp: now + ttlMs })).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The sealed object, or undefined when absent, tampered with, signed with another key or expired. */
function unseal(secret: string, value: string | undefined, now = Date.now()): Record<string, unknown> | undefined {
  const [payload, signature, extra] = (value ?? '').split('.');
  if (!payload || !signature || extra !== undefined || !sameText(signature, mac(secret, payload))) return undefined;
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof data['exp'] !== 'number' || data['exp'] < now) return undefined;
    return data;
  } catch {
    return undefined;
  }
}

export function sealIdentity(secret: string, identity: Identity, now = Date.now()): string {
  return seal(secret, identity, SESSION_MS, now);
}

export function openIdentity(secret: string, value: string | undefined, now = Date.now()): Identity | undefined {
  const data = unseal(secret, value, now);
  if (!data || typeof data['personId'] !== 'string' || typeof data['partnershipId'] !== 'string') return undefined;
  return {
    personId: data['personId'],
    partnershipId: data['partnershipId'],
    displayName: String(data['displayName'] ?? ''),
    demo: data['demo'] === true,
  };
}

export function readCookies(request: FastifyRequest): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    try {
      cookies[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      // A malformed cookie is ignored, as if absent.
    }
  }
  return cookies;
}

/** Secure everywhere but plain-http development; SameSite=Lax so the provider's redirect back carries OIDC_COOKIE. */
function cookie(config: Config, name: string, value: string, maxAgeSeconds: number, cookiePath = '/'): string {
  const secure = config.COREWATCH_ENV === 'development' ? '' : '; Secure';
  return `${name}=${encodeURIComponent(value)}; Path=${cookiePath}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

function appendCookies(reply: FastifyReply, cookies: string[]): void {
  const existing = reply.getHeader('set-cookie');
  const before = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...before, ...cookies]);
}

export function identityOf(config: Config, request: FastifyRequest): Identity | undefined {
  const identity = openIdentity(config.SESSION_SECRET, readCookies(request)[SESSION_COOKIE]);
  // A demo session sealed before production was configured is refused too.
  if (identity?.demo && !demoAllowed(config)) return undefined;
  return identity;
}

export function startSession(config: Config, reply: FastifyReply, identity: Identity): void {
  // A new CSRF token comes with the new session (the old one was issued to whoever held the browser before).
  appendCookies(reply, [cookie(config, SESSION_COOKIE, sealIdentity(config.SESSION_SECRET, identity), SESSION_MS / 1000), cookie(config, CSRF_COOKIE, '', 0)]);
}

export function endSession(config: Config, reply: FastifyReply): void {
  appendCookies(reply, [cookie(config, SESSION_COOKIE, '', 0), cookie(config, CSRF_COOKIE, '', 0)]);
}

/** Sets (or, with undefined, clears) the sealed OIDC sign-in in progress; it lives ten minutes, on /auth only. */
export function setPendingSignIn(config: Config, reply: FastifyReply, pending: object | undefined): void {
  const value = pending ? seal(config.SESSION_SECRET, pending, 600_000) : '';
  appendCookies(reply, [cookie(config, OIDC_COOKIE, value, pending ? 600 : 0, '/auth')]);
}

export function pendingSignIn(config: Config, request: FastifyRequest): Record<string, unknown> | undefined {
  return unseal(config.SESSION_SECRET, readCookies(request)[OIDC_COOKIE]);
}

/** The request's CSRF token, issuing a new one (as a cookie) when it has none. */
export function csrfToken(config: Config, request: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookies(request)[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  appendCookies(reply, [cookie(config, CSRF_COOKIE, token, 3600)]);
  return token;
}

export function csrfValid(request: FastifyRequest, submitted: unknown): boolean {
  const expected = readCookies(request)[CSRF_COOKIE];
  return typeof submitted === 'string' && expected !== undefined && expected !== '' && sameText(submitted, expected);
}

/** Only a path on this site may be returned to after sign-in (never `//evil.example` or an absolute URL). */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 ? value : '/';
}

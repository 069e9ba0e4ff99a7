/**
 * Who is signed in to the dashboard. Today only a built-in DEMO identity exists (refused when COREWATCH_ENV is
 * production); real OpenID Connect sign-in replaces `demoIdentity` later and keeps the rest: an identity is sealed in
 * a signed, HttpOnly, SameSite=Lax cookie (node:crypto HMAC-SHA256 with SESSION_SECRET), and every form POST carries
 * a CSRF token that must equal the one in its cookie (double submit).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/env';

export interface Identity {
  /** Stable id of the person signed in. */
  subject: string;
  displayName: string;
  role: string;
  /** Every page confines its reads to this partnership. */
  partnershipId: string;
  /** True for the built-in demo identity: every page then says so. */
  demo: boolean;
}

export const SESSION_COOKIE = 'cw_session';
export const CSRF_COOKIE = 'cw_csrf';
const SESSION_HOURS = 8;

/** The demo identity, or undefined where it is refused (production). The seam OpenID Connect replaces. */
export function demoIdentity(config: Config): Identity | undefined {
  if (config.COREWATCH_ENV === 'production') return undefined;
  return { subject: 'demo-team-manager', displayName: 'Demo team manager', role: 'team-manager', partnershipId: config.DEMO_PARTNERSHIP, demo: true };
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function sealIdentity(secret: string, identity: Identity, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...identity, exp: now + SESSION_HOURS * 3_600_000 })).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

export function openIdentity(secret: string, value: string | undefined, now = Date.now()): Identity | undefined {
  const [payload, signature, extra] = (value ?? '').split('.');
  if (!payload || !signature || extra !== undefined || !sameText(signature, mac(secret, payload))) return undefined;
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Identity & { exp?: unknown };
    if (typeof data.exp !== 'number' || data.exp < now) return undefined;
    return { subject: data.subject, displayName: data.displayName, role: data.role, partnershipId: data.partnershipId, demo: data.demo === true };
  } catch {
    return undefined;
  }
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

function cookie(config: Config, name: string, value: string, maxAgeSeconds: number): string {
  const secure = config.COREWATCH_ENV === 'development' ? '' : '; Secure';
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

export function identityOf(config: Config, request: FastifyRequest): Identity | undefined {
  const identity = openIdentity(config.SESSION_SECRET, readCookies(request)[SESSION_COOKIE]);
  // A demo session sealed before production was configured is refused too.
  if (identity?.demo && !demoIdentity(config)) return undefined;
  return identity;
}

export function startSession(config: Config, reply: FastifyReply, identity: Identity): void {
  reply.header('set-cookie', [cookie(config, SESSION_COOKIE, sealIdentity(config.SESSION_SECRET, identity), SESSION_HOURS * 3600), cookie(config, CSRF_COOKIE, '', 0)]);
}

export function endSession(config: Config, reply: FastifyReply): void {
  reply.header('set-cookie', [cookie(config, SESSION_COOKIE, '', 0), cookie(config, CSRF_COOKIE, '', 0)]);
}

/** The request's CSRF token, issuing a new one (as a cookie) when it has none. */
export function csrfToken(config: Config, request: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookies(request)[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  reply.header('set-cookie', cookie(config, CSRF_COOKIE, token, 3600));
  return token;
}

export function csrfValid(request: FastifyRequest, submitted: unknown): boolean {
  const expected = readCookies(request)[CSRF_COOKIE];
  return typeof submitted === 'string' && expected !== undefined && expected !== '' && sameText(submitted, expected);
}

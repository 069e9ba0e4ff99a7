/**
 * Bearer-token authentication for machine clients, as an onRequest hook: it runs before the body is parsed or
 * validated, so an unauthenticated request is a 401 whatever it carries, and nothing of it is read. A route declares
 * the scope it needs (`requireScope`); the token is
 * hashed and looked up (never compared in plaintext), and the request carries the token's partnership, to which every
 * route confines its reads and writes.
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { PrismaClient } from '../../platform/database';
import { recordAccess, type AccessAction } from '../../services/access-log';
import { hashApiToken, tokenByHash, type ApiScope } from '../../services/api-tokens';

export interface Principal {
  tokenId: string;
  partnershipId: string;
  scopes: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The authenticated principal of a request that passed `requireScope`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is missing its requireScope onRequest hook');
  return request.principal;
}

/**
 * When each token was last stamped by this process. `lastUsedAt` says whether a token is still in use (to find ones
 * to revoke), which a minute's precision answers; stamping every request would make concurrent requests of one
 * client queue on that one row's lock.
 */
const STAMP_EVERY_MS = 60_000;
const stamped = new Map<string, number>();

export function requireScope(prisma: PrismaClient, scope: ApiScope): onRequestAsyncHookHandler {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const token = match?.[1];
    const row = token ? await tokenByHash(prisma, hashApiToken(token)) : undefined;
    if (!row || row.revokedAt !== null) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthenticated', message: 'a valid bearer token is required' });
    }
    if (!row.scopes.includes(scope)) {
      return reply.code(403).send({ error: 'forbidden', message: `this token lacks the ${scope} scope` });
    }
    request.principal = { tokenId: row.id, partnershipId: row.partnershipId, scopes: row.scopes };
    const now = Date.now();
    if (now - (stamped.get(row.id) ?? 0) >= STAMP_EVERY_MS) {
      stamped.set(row.id, now);
      // Best effort: a failed stamp must not fail the request.
      prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } }).catch((error: unknown) => {
        request.log.warn({ err: error }, 'could not stamp token lastUsedAt');
      });
    }
    return undefined;
  };
}

/** Writes the access-log row of a read by the request's token; called before the data is sent. */
export function logTokenRead(
  prisma: PrismaClient,
  request: FastifyRequest,
  action: AccessAction,
  target: { planId?: string; reportId?: string },
): Promise<void> {
  const principal = principalOf(request);
  return recordAccess(prisma, {
    partnershipId: principal.partnershipId,
    actor: { kind: 'token', tokenId: principal.tokenId },
    action,
    route: `${request.method} ${request.routeOptions.url ?? request.url}`,
    ...target,
  });
}

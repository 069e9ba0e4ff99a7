/**
 * Scoped API tokens for machine clients. The plaintext is returned once, when issued; only its sha256 is stored, so a
 * database leak does not leak working credentials. A token is confined to one partnership.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Prisma } from '../prisma/generated/client';
import { hotRead, type PrismaClient } from '../platform/database';

export const API_SCOPES = ['plans:write', 'events:write', 'plans:read', 'reports:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface IssuedToken {
  id: string;
  /** Shown once; never stored. */
  token: string;
}

export async function issueApiToken(
  prisma: PrismaClient,
  input: { name: string; partnershipId: string; scopes: readonly ApiScope[] },
): Promise<IssuedToken> {
  const token = `cw_${randomBytes(32).toString('base64url')}`;
  const row = await prisma.apiToken.create({
    data: {
      name: input.name,
      partnershipId: input.partnershipId,
      scopes: [...input.scopes],
      tokenHash: hashApiToken(token),
    },
  });
  return { id: row.id, token };
}

/** Revokes a token at once (its next request is a 401). The row stays: the access log names it. */
export async function revokeApiToken(
  prisma: PrismaClient,
  id: string,
): Promise<'revoked' | 'already-revoked' | 'unknown'> {
  const row = await prisma.apiToken.findUnique({ where: { id }, select: { revokedAt: true } });
  if (!row) return 'unknown';
  if (row.revokedAt !== null) return 'already-revoked';
  await prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  return 'revoked';
}

export interface TokenRow {
  id: string;
  partnershipId: string;
  scopes: string[];
  revokedAt: Date | null;
}

/** The token with this sha256, if any: asked on every API request (a hot read, platform/database.ts). */
export async function tokenByHash(prisma: PrismaClient, tokenHash: string): Promise<TokenRow | undefined> {
  const [row] = await hotRead<TokenRow[]>(
    prisma,
    Prisma.sql`SELECT id, "partnershipId", scopes, "revokedAt" FROM "ApiToken" WHERE "tokenHash" = ${tokenHash}`,
  );
  return row;
}

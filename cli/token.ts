/**
 * `corewatch token issue --partnership ID --name NAME --scopes plans:read,events:write`: issues a scoped API token and
 * prints it once. Only its hash is stored; a lost token is replaced, never recovered.
 * `corewatch token revoke TOKEN_ID`: revokes one at once (the id is printed when it is issued).
 */
import { loadConfig } from '../platform/env';
import { createPrisma } from '../platform/database';
import { API_SCOPES, isApiScope, issueApiToken, revokeApiToken, type ApiScope } from '../services/api-tokens';
import { parseCommandArgs, UsageError, type Command } from './command';

const ISSUE_OPTIONS = {
  partnership: { type: 'string', required: true },
  name: { type: 'string', required: true },
  scopes: { type: 'string', value: 'SCOPE[,SCOPE...]', required: true },
} as const;

export const token: Command = {
  usage: `corewatch token issue --partnership ID --name NAME --scopes SCOPE[,SCOPE...]  (scopes: ${API_SCOPES.join(', ')})\n       corewatch token revoke TOKEN_ID`,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'revoke') {
      const [id, extra] = parseCommandArgs(rest, {}, { positionals: true }).positionals;
      if (id === undefined || extra !== undefined) throw new UsageError('revoke takes one token id');
      const prisma = createPrisma(loadConfig().DATABASE_URL);
      try {
        const outcome = await revokeApiToken(prisma, id);
        if (outcome === 'unknown') throw new UsageError(`no token '${id}'`, false);
        io.stdout(`token ${id}: ${outcome}\n`);
        return 0;
      } finally {
        await prisma.$disconnect();
      }
    }
    if (sub !== 'issue') throw new UsageError("expected the subcommand 'issue' or 'revoke'");
    const { values } = parseCommandArgs(rest, ISSUE_OPTIONS);
    const { partnership: partnershipId, name, scopes: scopeText } = values;
    const scopes = scopeText
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const bad = scopes.filter((s) => !isApiScope(s));
    if (scopes.length === 0 || bad.length > 0) {
      throw new UsageError(
        `--scopes: ${bad.length > 0 ? `unknown ${bad.join(', ')}` : 'none given'} (known: ${API_SCOPES.join(', ')})`,
      );
    }
    const prisma = createPrisma(loadConfig().DATABASE_URL);
    try {
      const partnership = await prisma.partnership.findUnique({ where: { id: partnershipId } });
      if (!partnership) throw new UsageError(`--partnership: no partnership '${partnershipId}'`, false);
      const issued = await issueApiToken(prisma, { name, partnershipId, scopes: scopes as ApiScope[] });
      io.stderr(`issued token ${issued.id} for ${partnershipId} (${scopes.join(', ')}); it is shown once:\n`);
      io.stdout(`${issued.token}\n`);
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};

/**
 * `corewatch sessions revoke --person PERSON_ID`: ends every dashboard session of a person at once (a lost laptop, a
 * person leaving); their next request finds itself signed out. Rights are read per request anyway, so taking a role
 * away needs no revocation; this is for when the browser itself must no longer be trusted.
 */
import { loadConfig } from '../platform/env';
import { createPrisma } from '../platform/database';
import { revokeSessions } from '../services/sessions';
import { UsageError, type Command } from './command';

export const sessions: Command = {
  usage: 'corewatch sessions revoke --person PERSON_ID',
  async run(args, io) {
    const [sub, flag, personId, extra] = args;
    if (sub !== 'revoke') throw new UsageError("expected the subcommand 'revoke'");
    if (flag !== '--person' || personId === undefined || personId.startsWith('--') || extra !== undefined) {
      throw new UsageError('revoke takes --person PERSON_ID');
    }
    const prisma = createPrisma(loadConfig().DATABASE_URL);
    try {
      const outcome = await revokeSessions(prisma, personId);
      if (outcome === 'unknown') throw new UsageError(`--person: no person '${personId}'`, false);
      io.stdout(`ended ${outcome.ended} session${outcome.ended === 1 ? '' : 's'} of ${personId}\n`);
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};

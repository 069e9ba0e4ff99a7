/**
 * `corewatch directory load FILE.json`: sets up or updates a partnership's teams, people and dashboard roles from one
 * file (services/directory.ts says what it changes). Prints what changed as JSON; exit 2 naming each bad field, with
 * nothing changed.
 */
import fs from 'node:fs';
import { loadConfig } from '../platform/env';
import { createPrisma } from '../platform/database';
import { DirectoryError, loadDirectory, parseDirectory } from '../services/directory';
import { parseCommandArgs, UsageError, type Command } from './command';

export const directory: Command = {
  usage: 'corewatch directory load FILE.json',
  async run(args, io) {
    const [sub, file, extra] = parseCommandArgs(args, {}, { positionals: true }).positionals;
    if (sub !== 'load') throw new UsageError("expected the subcommand 'load'");
    if (file === undefined || extra !== undefined) throw new UsageError('load takes one FILE');
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot read ${file} as JSON: ${(error as Error).message}`, false);
    }
    const prisma = createPrisma(loadConfig().DATABASE_URL);
    try {
      const changes = await loadDirectory(prisma, parseDirectory(json));
      io.stdout(`${JSON.stringify(changes)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof DirectoryError)
        throw new UsageError(`${file}: nothing was changed:\n${error.message}`, false);
      throw error;
    } finally {
      await prisma.$disconnect();
    }
  },
};

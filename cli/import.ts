/**
 * `corewatch import FILE --mapping MAPPING.json`: bulk import of a case-system extract (CSV or XLSX). Shows a row
 * count on stderr, prints the summary as JSON and where the row-by-row report was written. Exit 0 once the file was
 * processed (even with rejected rows), 2 for a bad mapping, an unreadable file, an unsupported file type or a file
 * that cannot be imported as it is (its encoding, broken CSV or workbook, a mapped column missing: nothing imported).
 */
import fs from 'node:fs';
import { loadConfig } from '../platform/env';
import { createPrisma } from '../platform/database';
import { londonDateAt } from '../domain/calendar';
import { importFile, type ImportSummary } from '../services/imports/import-file';
import { loadMapping, MappingError, type Mapping } from '../services/imports/mapping';
import { ExtractError, fileKind, UnsupportedFileError } from '../services/imports/read-rows';
import { connectTemporalClient, escalationSettings } from '../platform/temporal';
import { relayPendingEvents } from '../services/event-relay';
import { oneFile, parseCommandArgs, UsageError, type Command, type Io } from './command';

const RELAY_CHUNK = 500;

export const importCommand: Command = {
  usage: 'corewatch import FILE --mapping MAPPING.json',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { mapping: { type: 'string', required: true } },
      { positionals: true },
    );
    const mappingFile = values.mapping;
    const file = oneFile(positionals);
    try {
      fileKind(file);
    } catch (error) {
      if (error instanceof UnsupportedFileError) throw new UsageError(error.message, false);
      throw error;
    }
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, false);
    }
    let mapping: Mapping;
    try {
      mapping = loadMapping(mappingFile);
    } catch (error) {
      if (error instanceof MappingError) throw new UsageError(error.message, false);
      throw error;
    }

    const config = loadConfig();
    const prisma = createPrisma(config.DATABASE_URL);
    let temporalNote = '';
    try {
      const result = await importFile({
        prisma,
        file,
        mapping,
        today: londonDateAt(io.now()),
        onProgress: (s) => {
          if (s.rows % 50 === 0) drawCount(io, s);
        },
        relay: async (ids) => {
          let client;
          try {
            client = await connectTemporalClient(config);
          } catch (error) {
            temporalNote = `Temporal is unreachable (${(error as Error).message}): the events are stored and the worker's relay will deliver them`;
            throw error;
          }
          try {
            const deps = {
              prisma,
              temporal: client,
              taskQueue: config.TEMPORAL_TASK_QUEUE,
              settings: escalationSettings(config),
            };
            let delivered = 0;
            for (let i = 0; i < ids.length; i += RELAY_CHUNK) {
              const chunk = ids.slice(i, i + RELAY_CHUNK);
              const n = await relayPendingEvents(deps, chunk.length, chunk);
              delivered += n;
              if (n < chunk.length) {
                temporalNote =
                  "some events could not be delivered yet: they are stored and the worker's relay will deliver them";
                break;
              }
            }
            return delivered;
          } finally {
            await client.connection.close();
          }
        },
      }).catch((error: unknown) => {
        // Refused before any row was imported: said like a bad mapping, not as a crash.
        if (error instanceof ExtractError) throw new UsageError(error.message, false);
        throw error;
      });
      drawCount(io, result.summary);
      io.stderr('\n');
      if (result.summary.rejected > 0) {
        io.stderr(
          `${result.summary.rejected} of ${result.summary.rows} rows were rejected: see ${result.reportPath}\n`,
        );
      }
      if ('error' in result.relay && temporalNote === '') {
        temporalNote = `delivery failed (${result.relay.error}): the events are stored and the worker's relay will deliver them`;
      }
      if (temporalNote !== '') io.stderr(`${temporalNote}\n`);
      io.stdout(`${JSON.stringify({ ...result.summary, report: result.reportPath, relay: result.relay }, null, 2)}\n`);
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};

function drawCount(io: Io, s: Readonly<ImportSummary>): void {
  io.stderr(
    `\rimporting: ${s.rows} rows (${s.recorded} recorded, ${s.duplicates} duplicates, ${s.rejected} rejected)   `,
  );
}

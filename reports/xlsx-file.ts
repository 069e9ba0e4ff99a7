/**
 * How every .xlsx corewatch writes gets to its path: exceljs's streaming writer into `<file>.partial-<random>`, then
 * a copy with each sheet's `<dimension>` declared (reports/xlsx-dimensions.ts), synced and renamed into place. The
 * file appears at its path only when complete; on any failure the partial files are deleted and the error rethrown.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as ExcelJS from 'exceljs';
import { declareDimensions } from './xlsx-dimensions';

export interface XlsxWriting {
  workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  /** Throws the output stream's error, if it has failed (a full disk): call it between rows. */
  checkStream: () => void;
  /**
   * Call after each row (or each plan) written: checks the stream (`checkStream`) and, every 500th call, yields to
   * the event loop so the zip can drain what has been written when the source never waits (an in-memory source).
   */
  rowWritten: () => Promise<void>;
}

/**
 * Writes the workbook `build` fills to `file`, atomically. `onSaving` is called when the rows are all written and the
 * file is being finished (zipped, then its dimensions declared).
 */
export async function writeXlsxFile<T>(
  file: string,
  build: (writing: XlsxWriting) => Promise<T>,
  options: { creator?: string; created?: Date; onSaving?: () => void } = {},
): Promise<T> {
  const target = path.resolve(file);
  const partial = `${target}.partial-${randomBytes(8).toString('hex')}`;
  const dimensioned = `${partial}.dimensions`;
  const out = fs.createWriteStream(partial, { flags: 'wx' });
  let streamError: Error | undefined;
  const streamFailed = new Promise<never>((_, reject) => {
    out.on('error', (error) => {
      streamError = error;
      reject(error);
    });
  });
  streamFailed.catch(() => undefined); // observed through `streamError` and the races below
  let workbook: ExcelJS.stream.xlsx.WorkbookWriter | undefined;
  try {
    await Promise.race([new Promise<void>((resolve) => out.once('open', () => resolve())), streamFailed]);
    workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    workbook.creator = options.creator ?? 'corewatch';
    if (options.created) workbook.created = options.created;
    const checkStream = (): void => {
      if (streamError) throw streamError;
    };
    let rows = 0;
    const result = await build({
      workbook,
      checkStream,
      rowWritten: async () => {
        checkStream();
        rows += 1;
        if (rows % 500 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      },
    });
    options.onSaving?.();
    await Promise.race([workbook.commit(), streamFailed]);
    if (!out.closed)
      await Promise.race([new Promise<void>((resolve) => out.once('close', () => resolve())), streamFailed]);
    await declareDimensions(partial, dimensioned);
    const handle = await fs.promises.open(dimensioned, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(dimensioned, target);
    await fs.promises.rm(partial, { force: true });
    return result;
  } catch (error) {
    await discard(workbook, out, [partial, dimensioned]);
    throw error;
  }
}

/** Stops the zip and the file stream, then deletes the partial files. Never throws: the original error matters. */
async function discard(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter | undefined,
  out: fs.WriteStream,
  partials: readonly string[],
): Promise<void> {
  try {
    const zip = (
      workbook as unknown as { zip?: { abort(): void; on(event: string, fn: () => void): void } } | undefined
    )?.zip;
    zip?.on('error', () => undefined);
    zip?.abort();
  } catch {
    // Best effort.
  }
  if (!out.closed) {
    await new Promise<void>((resolve) => {
      out.once('close', () => resolve());
      out.destroy();
    });
  }
  for (const file of partials) await fs.promises.rm(file, { force: true }).catch(() => undefined);
}

/**
 * `corewatch mail-catcher`: a local SMTP server for the demo that accepts every message and writes it as an .eml
 * file into an outbox folder, so a person can read exactly what a team manager would receive without any mail
 * relay. Loopback only; never for production.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { parseCommandArgs, UsageError, type Command } from './command';

export const mailCatcher: Command = {
  usage: 'corewatch mail-catcher [--port 2525] [--outbox .corewatch/outbox]',
  run: (args) => {
    const { values } = parseCommandArgs(args, {
      port: { type: 'string', value: 'a port number' },
      outbox: { type: 'string', value: 'a folder' },
    });
    const port = Number(values.port ?? '2525');
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new UsageError(`--port: ${JSON.stringify(values.port)} is not a port number`);
    }
    return runMailCatcher(port, path.resolve(values.outbox ?? '.corewatch/outbox'));
  },
};

async function runMailCatcher(port: number, outbox: string): Promise<number> {
  fs.mkdirSync(outbox, { recursive: true });
  let count = fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).length;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        count += 1;
        const to = session.envelope.rcptTo.map((r) => r.address).join(',');
        const file = path.join(outbox, `${String(count).padStart(4, '0')}-${to.replace(/[^a-z0-9.@,-]/gi, '_')}.eml`);
        fs.writeFileSync(file, Buffer.concat(chunks));
        console.log(`mail-catcher: ${file}`);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  console.log(`mail-catcher: listening on 127.0.0.1:${port}, writing to ${outbox}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return 0;
}

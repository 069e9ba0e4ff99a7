/**
 * `corewatch mail-catcher`: a local SMTP server for the demo that accepts every message and writes it as an .eml
 * file into an outbox folder, so a person can read exactly what a team manager would receive without any mail
 * relay. Loopback only; never for production.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { Command } from './command';

export const mailCatcher: Command = {
  usage: 'corewatch mail-catcher [--port 2525] [--outbox .corewatch/outbox]',
  run: (args) => runMailCatcher(args),
};

async function runMailCatcher(argv: readonly string[]): Promise<number> {
  const port = Number(option(argv, '--port') ?? '2525');
  const outbox = path.resolve(option(argv, '--outbox') ?? '.corewatch/outbox');
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

function option(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package, nodemailer's own) that keeps every message it accepts,
 * parsed enough for assertions. Tests count what really crossed the wire, not calls to a mock.
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface CaughtMail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  corewatchKey: string;
  raw: string;
  /** The raw message with quoted-printable soft line breaks and escapes undone, for searching body text. */
  body: string;
}

export class SmtpCatcher {
  readonly messages: CaughtMail[] = [];
  /** When each message was accepted (ms since the epoch), in the order of `messages`. */
  readonly receivedAt: number[] = [];
  /** While set, every message is refused with a 451 (a transient failure), to simulate an outage. */
  refuse = false;
  /** Addresses refused at RCPT TO with a 550 (a permanent failure: no such mailbox). */
  readonly refuseRecipients = new Set<string>();
  /** Errors of connections that ended badly (a client killed mid-session), for a test that wants to look. */
  readonly connectionErrors: Error[] = [];
  /** How long the server sits on a message before answering it (a slow relay). */
  delayMs = 0;
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = this.createServer();
  }

  private createServer(): SMTPServer {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // stop() and goDown() end open connections after a second, not smtp-server's default 30.
      closeTimeout: 1000,
      onRcptTo: (address, _session, callback) => {
        if (this.refuseRecipients.has(address.address)) {
          callback(Object.assign(new Error(`${address.address}: no such mailbox`), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => setTimeout(answer, this.delayMs));
        const answer = () => {
          if (this.refuse) {
            const error = Object.assign(new Error('mailbox temporarily unavailable'), { responseCode: 451 });
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: decodeHeader(header(raw, 'Subject')),
            messageId: header(raw, 'Message-ID'),
            corewatchKey: header(raw, 'X-Corewatch-Key'),
            raw,
            body: decodeQuotedPrintable(raw),
          });
          this.receivedAt.push(Date.now());
          callback();
        };
      },
    });
    // A client that dies mid-session (a SIGKILLed worker) resets its connection: smtp-server reports that as an
    // 'error' event, which unheard would end the test process. The message it was sending is simply not received.
    server.on('error', (error) => this.connectionErrors.push(error));
    return server;
  }

  /** Listens on `port` (0: a free one). */
  async start(port = this.port): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * An outage: the port stops listening (connections are refused) until `comeBack`, which listens again on the
   * same port. Connections already open are cut.
   */
  async goDown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // smtp-server waits for open connections to end before calling back; an outage does not wait.
    for (const connection of (this.server as unknown as { connections: Set<{ close(): void }> }).connections ?? [])
      connection.close();
    await closed;
    this.server = this.createServer();
  }

  async comeBack(): Promise<void> {
    await this.start(this.port);
  }

  to(address: string): CaughtMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }
}

/** Reads a header, unfolding continuation lines. */
function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

/** Decodes RFC 2047 encoded-words (nodemailer encodes non-ASCII subjects, e.g. an em dash). */
function decodeHeader(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=\s*/g,
    (_m, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
  );
}

function decodeQuotedPrintable(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

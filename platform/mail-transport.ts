/** The SMTP transport, configured from the environment. Nothing else creates one. */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from './env';

/**
 * How long any one SMTP exchange may take. A sender holds its outbox row's lease (activities/outbox.ts) while it
 * talks to SMTP, so these must add up to well under the lease: a send that outlived its lease could be repeated by
 * another copy. nodemailer's defaults (2 minutes to connect, 10 minutes of socket silence) would outlast both the
 * lease and the activity's time limit. The outbox also stops waiting after SMTP_SEND_DEADLINE_MS whatever the socket
 * does, and keeps the lease until it expires, so nothing is sent again while the abandoned exchange could finish.
 */
export const SMTP_TIMEOUTS = {
  /** TCP (and TLS) connection established. */
  connectionTimeout: 5_000,
  /** The server's greeting after connecting. */
  greetingTimeout: 5_000,
  /** Silence on the socket at any step (each command's reply, the DATA upload). */
  socketTimeout: 10_000,
} as const;

/** The outbox's hard limit on one send, whatever the socket does (less than the lease, activities/outbox.ts). */
export const SMTP_SEND_DEADLINE_MS = 20_000;

export function createMailTransport(config: Config): Transporter {
  return nodemailer.createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    ...(config.SMTP_USER !== undefined ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASS ?? '' } } : {}),
    // Local catchers and test servers on loopback do not offer TLS; real relays are expected to.
    ignoreTLS: !config.SMTP_SECURE && isLoopback(config.SMTP_HOST),
    ...SMTP_TIMEOUTS,
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** The SMTP transport, configured from the environment. Nothing else creates one. */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from './env';

export function createMailTransport(config: Config): Transporter {
  return nodemailer.createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    ...(config.SMTP_USER !== undefined ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASS ?? '' } } : {}),
    // Local catchers and test servers on loopback do not offer TLS; real relays are expected to.
    ignoreTLS: !config.SMTP_SECURE && isLoopback(config.SMTP_HOST),
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

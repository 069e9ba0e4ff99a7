/**
 * The one place that reads `process.env`. Parsed once with zod into a frozen, typed object; a bad value fails fast
 * with a message naming the variable. The worker, the CLI and (later) the HTTP layer all import this module, so it
 * lives below all of them.
 *
 * Defaults are the embedded development setup started by `npm start` (see README): loopback PostgreSQL on 55432,
 * the Temporal dev server on 7233, the local SMTP catcher on 2525. Production must set every connection explicitly.
 */
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z
  .object({
    COREWATCH_ENV: z.enum(['development', 'test', 'production']).default('development'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection URL')
      .default('postgresql://corewatch:corewatch@127.0.0.1:55432/corewatch'),
    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('corewatch-plans'),
    SMTP_HOST: z.string().min(1).default('127.0.0.1'),
    SMTP_PORT: port.default(2525),
    SMTP_SECURE: bool.default(false),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASS: z.string().min(1).optional(),
    MAIL_FROM: z.string().email().default('corewatch@corewatch.invalid'),
    /** Working days before a deadline that the social worker is reminded. */
    REMINDER_WORKING_DAYS: z.coerce.number().int().min(0).max(20).default(2),
    /** Working days after a deadline, still unmet, before the second-level escalation. */
    SECOND_LEVEL_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(5),
    /** The plan role that receives second-level escalations. */
    SECOND_LEVEL_ROLE: z.string().min(1).default('head-of-service'),
    /** Base URL printed in emails so a reader can open the plan (dashboard arrives with issue 4). */
    PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
    /** Where finished monthly audit workbooks are stored (they hold children's data: keep it private). */
    REPORTS_DIR: z.string().min(1).default('.corewatch/reports'),
    /** Where `corewatch serve` listens. Loopback by default: expose it through a TLS-terminating proxy. */
    HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    HTTP_PORT: port.default(3000),
    /** HMAC key of the dashboard's session cookies. The default is for development only: set a long random value. */
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').default('corewatch-development-only-session-secret-do-not-use'),
    /** The partnership of the dashboard's built-in demo identity (refused when COREWATCH_ENV=production). */
    DEMO_PARTNERSHIP: z.string().min(1).default('demo-camden'),
  });

/** Production refuses the embedded defaults: a child's data must never reach a development database by accident. */
const REQUIRED_IN_PRODUCTION = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_HOST'] as const;

export type Config = Readonly<z.infer<typeof EnvSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; reason: string }>) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.reason}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses an environment (default `process.env`). Throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as a shell `FOO=` usually intends.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: i.path.join('.') || '(environment)', reason: i.message })),
    );
  }
  if (parsed.data.COREWATCH_ENV === 'production') {
    const missing = REQUIRED_IN_PRODUCTION.filter((name) => cleaned[name] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(
        missing.map((variable) => ({ variable, reason: 'must be set explicitly when COREWATCH_ENV=production' })),
      );
    }
  }
  return Object.freeze(parsed.data);
}

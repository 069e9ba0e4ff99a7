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
    /**
     * A workflow bundle built ahead (`bundleWorkflowCode`, as test/support/global-setup.ts does): the worker loads it
     * instead of bundling the workflows from source at every start, which starts it faster after a crash. Unset:
     * bundled from source.
     */
    TEMPORAL_WORKFLOW_BUNDLE: z.string().min(1).optional(),
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
    /**
     * The TLS-terminating proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (addresses, CIDRs or the
     * names loopback, linklocal, uniquelocal, comma-separated; `none` for no proxy). They tell the sign-in rate limit
     * the client's address, and the session that the browser used HTTPS: outside development the session cookie is
     * Secure, and is only set on a request that arrived over HTTPS. The default trusts a proxy on this machine.
     */
    HTTP_TRUST_PROXY: z
      .string()
      .min(1)
      .default('loopback')
      .transform((v) => (v === 'none' ? false : v)),
    /** HMAC key of the dashboard's signed cookies (session id, CSRF secret, OIDC sign-in). The default is for development only: set a long random value. */
    SESSION_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .default('corewatch-development-only-session-secret-do-not-use'),
    /** The partnership whose demo people the dashboard's built-in demo sign-in offers (refused in production). */
    DEMO_PARTNERSHIP: z.string().min(1).default('demo-camden'),
    /**
     * HMAC key of the pseudonyms analysts see instead of plan references. Stable across sessions (an analyst can
     * follow a pseudonym from month to month), so kept apart from SESSION_SECRET, which may be rotated.
     */
    PSEUDONYM_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .default('corewatch-development-only-pseudonym-secret-do-not-use'),
    /**
     * OpenID Connect sign-in (councils: Microsoft Entra ID, issuer https://login.microsoftonline.com/<tenant>/v2.0).
     * Unset: no OIDC sign-in (the demo sign-in remains outside production). All three are needed together.
     */
    OIDC_ISSUER: z.string().url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** The callback registered with the provider; default PUBLIC_BASE_URL + /auth/callback. */
    OIDC_REDIRECT_URI: z.string().url().optional(),
    /** The ID token claim matched to a Person's email at first sign-in (Entra: 'preferred_username' or 'email'). */
    OIDC_EMAIL_CLAIM: z.string().min(1).default('email'),
    /**
     * Whether that claim must come with `email_verified: true`. Entra ID does not send email_verified: set false
     * only for a single-tenant issuer whose usernames the council itself controls.
     */
    OIDC_REQUIRE_EMAIL_VERIFIED: bool.default(true),
    /**
     * The bearer token Prometheus presents to GET /metrics (32+ characters). Unset: /metrics answers 404. The
     * metrics are counts across every partnership (no plan, person or child), so they sit behind an operator's
     * secret, not a partnership's API token; loopback alone would not do, since the TLS proxy is on loopback too.
     */
    METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Sign-in attempts (demo, OIDC start and callback) allowed per client address per minute. */
    SIGN_IN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  })
  .superRefine((env, ctx) => {
    const oidc = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
    const set = oidc.filter((name) => env[name] !== undefined);
    if (set.length > 0 && set.length < oidc.length) {
      for (const name of oidc.filter((n) => env[n] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `must be set together with ${set.join(', ')}` });
      }
    }
  });

/**
 * Production refuses the embedded defaults: a child's data must never reach a development database by accident, and
 * sessions and pseudonyms must never be keyed with a secret published in this repository.
 */
const REQUIRED_IN_PRODUCTION = [
  'DATABASE_URL',
  'TEMPORAL_ADDRESS',
  'SMTP_HOST',
  'SESSION_SECRET',
  'PSEUDONYM_SECRET',
] as const;

export type Config = Readonly<z.infer<typeof EnvSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; reason: string }>) {
    super('Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.reason}`).join('\n'));
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

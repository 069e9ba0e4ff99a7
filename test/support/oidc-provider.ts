/**
 * A real OpenID Connect provider (panva's oidc-provider 9) on a free loopback port, for tests of the dashboard's OIDC
 * sign-in in a real browser. oidc-provider is ESM-only, so it runs in a child process (oidc-provider-server.mjs,
 * spawned, never imported by jest) and this module only starts it, stops it and drives its login form. The script must
 * not be named oidc-provider.mjs: jest's default moduleFileExtensions put `mjs` before `ts`, so `./oidc-provider`
 * would resolve to it instead of to this file.
 *
 * The provider: issuer `http://127.0.0.1:<port>`; authorization code flow only, client_secret_basic, PKCE S256
 * required; ID tokens RS256 (a key generated per start) with sub, email, email_verified and name for the scopes
 * openid email profile; no consent screen. Its sign-in page is oidc-provider's development login form: any password
 * is accepted, a configured login signs in as that account, and any other login is sent back to the client's
 * redirect_uri with error=access_denied. Its cookies are named oidc_test_* (cookies ignore ports, and the app under
 * test shares the host 127.0.0.1).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Page } from 'playwright-core';

export interface OidcTestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
}

export interface OidcTestAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
}

export interface OidcProviderConfig {
  clients: OidcTestClient[];
  /** Keyed by the login typed into the provider's sign-in form. */
  accounts: Record<string, OidcTestAccount>;
  /** 0 or absent: a free port. */
  port?: number;
}

export interface OidcProvider {
  /** `http://127.0.0.1:<port>`, exactly as in the discovery document and the ID tokens' `iss`. */
  issuer: string;
  stop(): Promise<void>;
}

const SCRIPT = path.join(__dirname, 'oidc-provider-server.mjs');
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const STDERR_LIMIT = 64 * 1024;

export function startOidcProvider(config: OidcProviderConfig): Promise<OidcProvider> {
  const child = spawn(process.execPath, [SCRIPT], {
    env: { ...process.env, OIDC_TEST_CONFIG: JSON.stringify({ port: 0, ...config }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_LIMIT);
    if (process.env.OIDC_TEST_DEBUG === '1') process.stderr.write(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  // A test file that dies before stop() must not leave the provider running (it also watches its parent).
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (hasExited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<OidcProvider>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined, issuer?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        void stop().then(() => reject(error));
      } else if (issuer) {
        resolve({ issuer, stop });
      }
    };
    const timer = setTimeout(
      () => settle(new Error(`oidc test provider was not ready within ${READY_TIMEOUT_MS} ms; stderr:\n${stderr}`)),
      READY_TIMEOUT_MS,
    );
    child.once('error', (error) => settle(new Error(`could not start the oidc test provider: ${error.message}`)));
    child.once('exit', (code, signal) => {
      // Let the last stderr chunks arrive before reporting them.
      setImmediate(() =>
        settle(
          new Error(`oidc test provider exited (${signal ?? `code ${code}`}) before it was ready; stderr:\n${stderr}`),
        ),
      );
    });
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const ready = /^ready (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (ready?.[1]) settle(undefined, ready[1]);
      else if (process.env.OIDC_TEST_DEBUG === '1') process.stderr.write(`${line}\n`);
    });
  });
}

/**
 * Given a page showing the provider's login form (e.g. just after following the client's redirect to the
 * authorization endpoint), types `login` and any password and submits. Resolves once the browser has left the
 * provider, i.e. the provider has redirected back to the client's redirect_uri (with a code, or with
 * error=access_denied for an unknown login) and that navigation, including any redirects the client then sends, has
 * loaded. Throws if the page shows no login form, or if the browser is still on the provider when the page's default
 * timeout runs out (e.g. the provider rendered an error page), with what the page said.
 */
export async function signInAtProvider(page: Page, login: string): Promise<void> {
  const provider = new URL(page.url()).origin;
  const form = page
    .locator('form')
    .filter({ has: page.locator('input[name="login"]') })
    .first();
  await form.waitFor({ state: 'visible' }).catch((error: unknown) => {
    throw new Error(`no OIDC provider login form at ${page.url()}`, { cause: error });
  });
  await form.locator('input[name="login"]').fill(login);
  for (const password of await form.locator('input[type="password"]').all()) {
    await password.fill('any-password');
  }
  const left = page.waitForURL((url) => url.origin !== provider);
  const submit = form.locator('button[type="submit"], input[type="submit"], button:not([type])').first();
  if (await submit.count()) {
    await submit.click();
  } else {
    await form.evaluate((f) => (f as unknown as { requestSubmit(): void }).requestSubmit());
  }
  try {
    await left;
  } catch (error) {
    const text = await page
      .locator('body')
      .innerText()
      .catch(() => '');
    throw new Error(
      `still at the OIDC provider (${page.url()}) after signing in as ${JSON.stringify(login)}: ${text.slice(0, 1000)}`,
      {
        cause: error,
      },
    );
  }
}

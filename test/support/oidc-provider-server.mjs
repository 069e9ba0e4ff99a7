// A real OpenID Connect provider (panva's oidc-provider) on loopback, for tests of the dashboard's OIDC sign-in.
//
// Plain ESM (oidc-provider 9 is ESM-only), never imported by jest or tsc: test/support/oidc-provider.ts spawns it as
//   OIDC_TEST_CONFIG='{"port":0,"clients":[...],"accounts":{...}}' node test/support/oidc-provider-server.mjs
// and waits for the single stdout line `ready http://127.0.0.1:<port>` (the issuer, exactly). Everything else it has
// to say goes to stderr. SIGTERM or SIGINT stops it (exit 0); it also stops when the process that started it dies.
//
// Config: { port?: number (0 or absent = a free one),
//           clients: [{ client_id, client_secret, redirect_uris: [...], ...any other client metadata }],
//           accounts: { "<login>": { sub, email, email_verified, name } } }
//
// The provider's own development login form (devInteractions) is the sign-in page: any password is accepted, but
// only a configured login signs in; any other login ends the authorization with error=access_denied at the client's
// redirect_uri. Consent is granted automatically (no consent screen). Clients use the authorization code flow with
// client_secret_basic; PKCE (S256, the only method) is required; ID tokens are RS256-signed by a key generated at
// start-up and carry sub, email, email_verified and name (scopes openid email profile).
import crypto from 'node:crypto';
import http from 'node:http';

// oidc-provider writes notices with console.info (stdout, which carries only the ready line) and its development-only
// warnings with console.warn. Route all of it to stderr, and drop the warnings that are expected here. Must happen
// before oidc-provider is imported: it warns at import time that Node 20 is not its supported runtime (v22 LTS).
const EXPECTED_WARNINGS = [
  'Unsupported runtime',
  'a quick start development-only feature devInteractions is enabled',
  'a quick start development-only in-memory adapter is used',
];
const verbose = process.env.OIDC_TEST_VERBOSE === '1';
const toStderr = (...args) => {
  const line = args.map(String).join(' ');
  if (!verbose && EXPECTED_WARNINGS.some((w) => line.includes(w))) return;
  process.stderr.write(`${line}\n`);
};
console.log = toStderr;
console.info = toStderr;
console.warn = toStderr;
console.error = toStderr;

function fail(message) {
  process.stderr.write(`oidc-test-provider: ${message}\n`);
  process.exit(1);
}

function readConfig() {
  let config;
  try {
    config = JSON.parse(process.env.OIDC_TEST_CONFIG ?? '');
  } catch (e) {
    fail(`OIDC_TEST_CONFIG must be JSON: ${e.message}`);
  }
  if (!config || typeof config !== 'object') fail('OIDC_TEST_CONFIG must be a JSON object');
  const port = config.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('port must be an integer from 0 to 65535');
  if (!Array.isArray(config.clients) || config.clients.length === 0) fail('clients must be a non-empty array');
  for (const c of config.clients) {
    if (typeof c?.client_id !== 'string' || !c.client_id) fail('every client needs a client_id');
    if (typeof c.client_secret !== 'string' || !c.client_secret) fail(`client ${c.client_id} needs a client_secret`);
    if (!Array.isArray(c.redirect_uris) || c.redirect_uris.length === 0)
      fail(`client ${c.client_id} needs redirect_uris`);
  }
  if (!config.accounts || typeof config.accounts !== 'object' || Array.isArray(config.accounts)) {
    fail('accounts must be an object keyed by login');
  }
  const subs = new Set();
  for (const [login, a] of Object.entries(config.accounts)) {
    if (typeof a?.sub !== 'string' || !a.sub) fail(`account ${login} needs a sub`);
    if (subs.has(a.sub)) fail(`two accounts share the sub ${a.sub}`);
    subs.add(a.sub);
  }
  return { port, clients: config.clients, accounts: config.accounts };
}

const config = readConfig();
const accountsByLogin = new Map(Object.entries(config.accounts));
const accountsBySub = new Map([...accountsByLogin.values()].map((a) => [a.sub, a]));

const { default: Provider } = await import('oidc-provider');

// The dev login form hands over whatever was typed as the account id. Map a configured login to its account's sub
// (so the session's accountId is the sub, as the provider assumes), and refuse any other login outright.
class TestProvider extends Provider {
  async interactionFinished(req, res, result, options) {
    if (result?.login && typeof result.login.accountId === 'string') {
      const login = result.login.accountId;
      const account = accountsByLogin.get(login);
      if (account) {
        result = { ...result, login: { ...result.login, accountId: account.sub } };
      } else {
        process.stderr.write(`oidc-test-provider: refused unknown login ${JSON.stringify(login)}\n`);
        result = { error: 'access_denied', error_description: 'unknown test account' };
      }
    }
    return super.interactionFinished(req, res, result, options);
  }
}

const signingKey = {
  ...crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: crypto.randomUUID(),
  alg: 'RS256',
  use: 'sig',
};

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const configuration = {
  clients: config.clients.map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
    ...c,
  })),
  jwks: { keys: [signingKey] },
  enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
  responseTypes: ['code'],
  scopes: ['openid', 'email', 'profile'],
  claims: {
    acr: null,
    sid: null,
    auth_time: null,
    iss: null,
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Put the scopes' claims in the ID token too, not only at the userinfo endpoint.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  // Cookies are scoped to a host, not a port: names the app under test (also on 127.0.0.1) is unlikely to use.
  cookies: {
    keys: [crypto.randomBytes(32).toString('base64url')],
    names: {
      session: 'oidc_test_session',
      interaction: 'oidc_test_interaction',
      resume: 'oidc_test_interaction_resume',
    },
  },
  // No consent screen: every sign-in is granted the OIDC scopes and claims it asks for.
  async loadExistingGrant(ctx) {
    const { provider, client, account } = ctx.oidc;
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(client.clientId);
    const grant =
      (grantId && (await provider.Grant.find(grantId))) ||
      new provider.Grant({ clientId: client.clientId, accountId: account.accountId });
    grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
    if (ctx.oidc.requestParamClaims.size) grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
    await grant.save();
    return grant;
  },
  async findAccount(_ctx, sub) {
    const account = accountsBySub.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        const claims = { sub: account.sub };
        for (const name of ['email', 'email_verified', 'name']) {
          if (account[name] !== undefined) claims[name] = account[name];
        }
        return claims;
      },
    };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body =
      `<!DOCTYPE html><html><head><meta charset="utf-8"><title>oidc-test-provider error</title></head><body>` +
      `<h1>oidc-test-provider error</h1><dl>${Object.entries(out)
        .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
        .join('')}</dl></body></html>`;
  },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 600,
    ClientCredentials: 600,
    Grant: 86400,
    IdToken: 3600,
    Interaction: 3600,
    RefreshToken: 86400,
    Session: 86400,
  },
};

let handler = (_req, res) => {
  res.statusCode = 503;
  res.end();
};
const server = http.createServer((req, res) => handler(req, res));
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(config.port, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

let provider;
try {
  provider = new TestProvider(issuer, configuration);
} catch (e) {
  fail(`could not configure oidc-provider: ${e.stack ?? e}`);
}
// The dev pages import a web font from fonts.googleapis.com; tests must not reach the internet (or wait for it).
provider.use(async (ctx, next) => {
  await next();
  if (typeof ctx.body === 'string' && ctx.response.is('html')) {
    ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '');
  }
});
for (const event of ['server_error', 'authorization.error', 'grant.error', 'end_session.error', 'userinfo.error']) {
  provider.on(event, (_ctx, error) => {
    process.stderr.write(
      `oidc-test-provider: ${event}: ${error?.message ?? error}${error?.error_description ? ` (${error.error_description})` : ''}\n`,
    );
  });
}
handler = provider.callback();

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Do not outlive whoever started us (e.g. a jest worker that crashed before calling stop()).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 1000).unref();

process.stdout.write(`ready ${issuer}\n`);

/**
 * OpenID Connect sign-in (authorization code flow with PKCE S256, state and nonce), through `openid-client`, which
 * checks the ID token: signature against the provider's JWKS, issuer, audience, expiry, nonce, and the `iss`
 * response parameter (RFC 9207) where the provider sends one. Councils' provider is Microsoft Entra ID; tests use a
 * real provider started locally (test/support/oidc-provider.mjs).
 *
 * Discovery is lazy and retried after a failure, so the dashboard starts while the provider is unreachable.
 */
import { generators, Issuer, type Client } from 'openid-client';
import type { Config } from '../../platform/env';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  emailClaim: string;
  requireEmailVerified: boolean;
}

export function oidcSettings(config: Config): OidcSettings | undefined {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return undefined;
  return {
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    redirectUri: config.OIDC_REDIRECT_URI ?? new URL('/auth/callback', config.PUBLIC_BASE_URL).toString(),
    emailClaim: config.OIDC_EMAIL_CLAIM,
    requireEmailVerified: config.OIDC_REQUIRE_EMAIL_VERIFIED,
  };
}

/** What is kept (sealed in a cookie) between sending the browser to the provider and its return. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/** The verified identity the provider vouched for. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  /** The email claim (settings.emailClaim), when present and (if required) verified. */
  email: string | undefined;
  name: string | undefined;
}

export class SignInError extends Error {
  override name = 'SignInError';
}

export class OidcSignIn {
  private client: Promise<Client> | undefined;

  constructor(readonly settings: OidcSettings) {}

  private getClient(): Promise<Client> {
    this.client ??= Issuer.discover(this.settings.issuer).then(
      (issuer) =>
        new issuer.Client({
          client_id: this.settings.clientId,
          client_secret: this.settings.clientSecret,
          redirect_uris: [this.settings.redirectUri],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        }),
      (error: unknown) => {
        this.client = undefined; // try discovery again on the next sign-in
        throw error;
      },
    );
    return this.client;
  }

  /** The provider URL to send the browser to, and what to keep until it returns. */
  async begin(returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
    const client = await this.getClient();
    const pending: PendingSignIn = {
      state: generators.state(),
      nonce: generators.nonce(),
      codeVerifier: generators.codeVerifier(),
      returnTo,
    };
    const url = client.authorizationUrl({
      scope: 'openid email profile',
      redirect_uri: this.settings.redirectUri,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: generators.codeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /** Exchanges the code of the provider's redirect (the callback's path and query) for a verified identity. */
  async complete(callbackUrl: string, pending: PendingSignIn): Promise<ProviderIdentity> {
    const client = await this.getClient();
    let claims: Record<string, unknown>;
    try {
      const params = client.callbackParams(callbackUrl);
      const tokens = await client.callback(this.settings.redirectUri, params, {
        state: pending.state,
        nonce: pending.nonce,
        code_verifier: pending.codeVerifier,
      });
      claims = tokens.claims();
    } catch (error) {
      throw new SignInError(
        `the identity provider's answer was refused: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const email = claims[this.settings.emailClaim];
    const verified = !this.settings.requireEmailVerified || claims['email_verified'] === true;
    return {
      issuer: String(claims['iss']),
      subject: String(claims['sub']),
      email: typeof email === 'string' && email !== '' && verified ? email : undefined,
      name: typeof claims['name'] === 'string' ? claims['name'] : undefined,
    };
  }
}

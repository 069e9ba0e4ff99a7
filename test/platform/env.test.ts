/** Configuration is parsed once; a bad value stops the process with the variable named and the reason. */
import { ConfigError, loadConfig } from '../../platform/env';

describe('loadConfig', () => {
  it('gives the embedded development defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      COREWATCH_ENV: 'development',
      DATABASE_URL: 'postgresql://corewatch:corewatch@127.0.0.1:55432/corewatch',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      SMTP_PORT: 2525,
      REMINDER_WORKING_DAYS: 2,
      SECOND_LEVEL_WORKING_DAYS: 5,
      SECOND_LEVEL_ROLE: 'head-of-service',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable and why', () => {
    let error: unknown;
    try {
      loadConfig({ SMTP_PORT: 'seventy', DATABASE_URL: 'mysql://x', MAIL_FROM: 'not-an-address' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['DATABASE_URL', 'MAIL_FROM', 'SMTP_PORT']);
    expect((error as ConfigError).message).toContain('DATABASE_URL: must be a postgresql:// connection URL');
  });

  it('refuses production without explicit connections', () => {
    expect(() => loadConfig({ COREWATCH_ENV: 'production' })).toThrow(
      /DATABASE_URL: must be set explicitly when COREWATCH_ENV=production/,
    );
    expect(
      loadConfig({
        COREWATCH_ENV: 'production',
        DATABASE_URL: 'postgresql://u:p@db.internal/corewatch',
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        SMTP_HOST: 'smtp.internal',
        SESSION_SECRET: 'a-production-session-secret-of-32-characters-or-more',
        PSEUDONYM_SECRET: 'a-production-pseudonym-secret-of-32-characters-or-more',
      }).COREWATCH_ENV,
    ).toBe('production');
  });

  it('refuses production on the development session and pseudonym secrets', () => {
    const connections = {
      DATABASE_URL: 'postgresql://u:p@db.internal/corewatch',
      TEMPORAL_ADDRESS: 't:7233',
      SMTP_HOST: 's',
    };
    let error: unknown;
    try {
      loadConfig({ COREWATCH_ENV: 'production', ...connections });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'PSEUDONYM_SECRET',
      'SESSION_SECRET',
    ]);
  });

  it('names the OpenID Connect settings missing from a partial set', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://login.microsoftonline.com/t/v2.0' })).toThrow(
      /OIDC_CLIENT_ID: must be set together with OIDC_ISSUER[\s\S]*OIDC_CLIENT_SECRET: must be set together with OIDC_ISSUER/,
    );
    expect(() => loadConfig({ OIDC_ISSUER: 'not a url', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' })).toThrow(
      /OIDC_ISSUER/,
    );
  });

  it('trusts a TLS-terminating proxy on this machine by default, the addresses given, or none', () => {
    expect(loadConfig({}).HTTP_TRUST_PROXY).toBe('loopback');
    expect(loadConfig({ HTTP_TRUST_PROXY: '10.0.0.0/8, 192.168.1.5' }).HTTP_TRUST_PROXY).toBe(
      '10.0.0.0/8, 192.168.1.5',
    );
    expect(loadConfig({ HTTP_TRUST_PROXY: 'none' }).HTTP_TRUST_PROXY).toBe(false);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SMTP_PORT: '' }).SMTP_PORT).toBe(2525);
  });
});

/** Configuration is parsed once; a bad value stops the process with the variable named and the reason. */
import { ConfigError, loadConfig } from '../../config/env';

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
    expect(() => loadConfig({ COREWATCH_ENV: 'production' })).toThrow(/DATABASE_URL: must be set explicitly when COREWATCH_ENV=production/);
    expect(
      loadConfig({
        COREWATCH_ENV: 'production',
        DATABASE_URL: 'postgresql://u:p@db.internal/corewatch',
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        SMTP_HOST: 'smtp.internal',
      }).COREWATCH_ENV,
    ).toBe('production');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SMTP_PORT: '' }).SMTP_PORT).toBe(2525);
  });
});

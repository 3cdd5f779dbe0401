import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({}, '/srv/hcp');
    expect(c).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/hcp/data',
      databaseUrl: undefined,
      adminKey: undefined,
      logLevel: 'info',
      secret: undefined,
      ratingWindowDays: 7,
      publicUrl: undefined,
      smsGateway: undefined,
      rateLimit: { perIp: 1200, perCaller: 60_000 },
      corsOrigins: [],
    });
  });

  it('reads every setting', () => {
    const c = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/hcp',
      DATABASE_URL: 'postgres://u@db/hcp',
      HCP_ADMIN_KEY: 'k'.repeat(32),
      LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({ port: 9000, host: '0.0.0.0', dataDir: '/var/lib/hcp', logLevel: 'warn' });
  });

  it('names every bad value at once, hiding secrets', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', HCP_ADMIN_KEY: 'short', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems).toEqual([
        'PORT=eighty: must be an integer from 0 to 65535',
        'DATABASE_URL=<hidden>: must start with postgres:// or postgresql://',
        'HCP_ADMIN_KEY=<hidden>: must be at least 16 characters',
        'LOG_LEVEL=loud: must be one of fatal, error, warn, info, debug, trace, silent',
      ]);
    }
  });
});

import { isAbsolute, resolve } from 'node:path';

/** Settings of one process, read and checked once at start-up; nothing else reads process.env. */
export interface Config {
  port: number;
  host: string;
  /** Where PGlite keeps its files (unused with DATABASE_URL). */
  dataDir: string;
  databaseUrl: string | undefined;
  /** Bootstrap system-administrator key, accepted as `Authorization: Bearer <key>`. */
  adminKey: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Server secret for keyed hashes and encryption of personal data; generated for PGlite if unset. */
  secret: string | undefined;
  /** Natural days after completion during which a case can be rated (DOMAIN.md §5). */
  ratingWindowDays: number;
  /** Public base URL for links sent by SMS and shown as QR codes; defaults to the listen address. */
  publicUrl: string | undefined;
  /** SMS gateway (HTTP, HMAC-signed); unset means the logging adapter. */
  smsGateway: { url: string; secret: string } | undefined;
  /** Requests per minute per IP (anonymous) and per key or account. */
  rateLimit: { perIp: number; perCaller: number };
  /** Browser origins allowed to call the API (CORS); empty: same origin only. */
  corsOrigins: string[];
  /** OpenID Connect single sign-on (统一身份认证); unset: password sign-in only. */
  oidc: OidcConfig | undefined;
}

/** The OIDC relying-party settings; `redirectUri` unset means `${publicUrl}/api/v1/auth/oidc/callback`. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string | undefined;
  /** ID-token (or userinfo) claim holding the username of an existing account. */
  usernameClaim: string;
}

/** A start-up refusal naming every bad setting as `KEY=value: reason`. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads the environment into a Config, or throws ConfigError listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const bad = (key: string, reason: string) => problems.push(`${key}=${env[key]}: ${reason}`);

  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) bad('PORT', 'must be an integer from 0 to 65535');

  const host = env.HOST || '127.0.0.1';

  const dataDirRaw = env.DATA_DIR || './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL=<hidden>: must start with postgres:// or postgresql://');
  }

  const adminKey = env.HCP_ADMIN_KEY || undefined;
  if (adminKey !== undefined && adminKey.length < 16) {
    problems.push('HCP_ADMIN_KEY=<hidden>: must be at least 16 characters');
  }

  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) bad('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);

  const secret = env.HCP_SECRET || undefined;
  if (secret !== undefined && secret.length < 32)
    problems.push('HCP_SECRET=<hidden>: must be at least 32 characters');

  const ratingWindowDays = env.HCP_RATING_WINDOW_DAYS ? Number(env.HCP_RATING_WINDOW_DAYS) : 7;
  if (!Number.isInteger(ratingWindowDays) || ratingWindowDays < 1 || ratingWindowDays > 90) {
    bad('HCP_RATING_WINDOW_DAYS', 'must be a whole number of days from 1 to 90');
  }

  const publicUrl = env.HCP_PUBLIC_URL ? env.HCP_PUBLIC_URL.replace(/\/+$/, '') : undefined;
  if (publicUrl && !/^https?:\/\/[^/]+/.test(publicUrl)) bad('HCP_PUBLIC_URL', 'must be an http(s) URL');

  const smsUrl = env.HCP_SMS_GATEWAY_URL || undefined;
  const smsSecret = env.HCP_SMS_GATEWAY_SECRET || undefined;
  if (smsUrl && !/^https?:\/\/[^/]+/.test(smsUrl)) bad('HCP_SMS_GATEWAY_URL', 'must be an http(s) URL');
  if (smsUrl && (!smsSecret || smsSecret.length < 16)) {
    problems.push(
      'HCP_SMS_GATEWAY_SECRET=<hidden>: required with HCP_SMS_GATEWAY_URL, at least 16 characters',
    );
  }
  const smsGateway = smsUrl && smsSecret ? { url: smsUrl, secret: smsSecret } : undefined;

  const positive = (key: string, fallback: number) => {
    const v = env[key] ? Number(env[key]) : fallback;
    if (!Number.isInteger(v) || v < 1) bad(key, 'must be a whole number above 0');
    return v;
  };
  const rateLimit = {
    perIp: positive('HCP_RATE_LIMIT_PER_IP', 1200),
    perCaller: positive('HCP_RATE_LIMIT_PER_CALLER', 60_000),
  };

  const corsOrigins = (env.HCP_CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of corsOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(o))
      bad('HCP_CORS_ORIGINS', `${o} is not an origin like https://example.gov.cn`);
  }

  const oidc = readOidc(env, bad, problems);

  if (problems.length) throw new ConfigError(problems);
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    adminKey,
    logLevel,
    secret,
    ratingWindowDays,
    publicUrl,
    smsGateway,
    rateLimit,
    corsOrigins,
    oidc,
  };
}

/**
 * OIDC settings: all of issuer, client id and secret, or none. The issuer must be https, except on
 * the loopback address (a provider under test).
 */
function readOidc(
  env: Record<string, string | undefined>,
  bad: (key: string, reason: string) => void,
  problems: string[],
): OidcConfig | undefined {
  const issuer = env.HCP_OIDC_ISSUER?.replace(/\/+$/, '') || undefined;
  const clientId = env.HCP_OIDC_CLIENT_ID || undefined;
  const clientSecret = env.HCP_OIDC_CLIENT_SECRET || undefined;
  const redirectUri = env.HCP_OIDC_REDIRECT_URI || undefined;
  const usernameClaim = env.HCP_OIDC_USERNAME_CLAIM || 'preferred_username';
  if (!issuer && !clientId && !clientSecret) return undefined;
  if (!issuer) bad('HCP_OIDC_ISSUER', 'required with HCP_OIDC_CLIENT_ID and HCP_OIDC_CLIENT_SECRET');
  else if (!/^https:\/\/[^/]+|^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(issuer))
    bad('HCP_OIDC_ISSUER', 'must be an https URL');
  if (!clientId) bad('HCP_OIDC_CLIENT_ID', 'required with HCP_OIDC_ISSUER');
  if (!clientSecret) problems.push('HCP_OIDC_CLIENT_SECRET=<hidden>: required with HCP_OIDC_ISSUER');
  if (redirectUri && !/^https?:\/\/[^/]+\//.test(redirectUri))
    bad('HCP_OIDC_REDIRECT_URI', 'must be an http(s) URL');
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(usernameClaim)) bad('HCP_OIDC_USERNAME_CLAIM', 'not a claim name');
  if (!issuer || !clientId || !clientSecret) return undefined;
  return { issuer, clientId, clientSecret, redirectUri, usernameClaim };
}

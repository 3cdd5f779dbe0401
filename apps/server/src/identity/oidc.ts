import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DomainError } from '@hcp/domain';
import * as oidc from 'openid-client';

/** What the relying party needs to know (config.ts `OidcConfig`, with the redirect URI resolved). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  usernameClaim: string;
}

/** The sign-in attempt kept in the browser between `login` and `callback`, sealed. */
interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

/** How long a user has at the provider before the attempt expires. */
export const OIDC_PENDING_SECONDS = 600;

/** The identity the provider vouched for. */
export interface OidcIdentity {
  /** The mapped claim, lower-cased; null when the provider sent none. */
  username: string | null;
  subject: string;
}

const stateError = () =>
  new DomainError(
    'VALIDATION_FAILED',
    {
      en: 'the sign-in attempt is unknown or expired: start again',
      zh: '登录请求无效或已过期，请重新登录',
    },
    { field: 'querystring.state', reason: 'OIDC_STATE' },
  );

const failed = (why: string) =>
  new DomainError(
    'UNAUTHENTICATED',
    { en: `single sign-on failed: ${why}`, zh: '统一身份认证登录失败' },
    { reason: 'OIDC_FAILED' },
  );

/**
 * A same-origin path to go back to after sign-in, or null. Absolute URLs, protocol-relative
 * `//host` and backslash tricks (`/\host`, which browsers read as `//host`) are refused.
 */
export function safeReturnTo(value: string | undefined): string | null {
  if (value === undefined || value === '') return '/console';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  // Browsers drop tabs and newlines from URLs, so `/\t/host` would become `//host`.
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return null;
  const probe = new URL(value, 'http://same.invalid');
  return probe.origin === 'http://same.invalid' ? `${probe.pathname}${probe.search}${probe.hash}` : null;
}

/**
 * The OpenID Connect relying party (统一身份认证): authorization code flow with PKCE, state and
 * nonce; the provider's metadata is discovered on first use and kept. The pending attempt travels
 * in a cookie sealed with AES-256-GCM under a key derived from the server secret, so the server
 * keeps no state between the two legs.
 */
export class OidcRelyingParty {
  readonly #settings: OidcSettings;
  readonly #key: Buffer;
  #configuration: Promise<oidc.Configuration> | null = null;

  constructor(settings: OidcSettings, serverSecret: string) {
    this.#settings = settings;
    this.#key = createHash('sha256').update('hcp:oidc-state:').update(serverSecret).digest();
  }

  /** The provider's metadata; a failed discovery is retried on the next sign-in. */
  #discover(): Promise<oidc.Configuration> {
    if (!this.#configuration) {
      const s = this.#settings;
      const issuer = new URL(s.issuer);
      this.#configuration = oidc
        .discovery(
          issuer,
          s.clientId,
          { redirect_uris: [s.redirectUri] },
          oidc.ClientSecretBasic(s.clientSecret),
          // config.ts allows plain http only for a provider on the loopback address.
          issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
        )
        .then((config) => {
          // Check the ID token's signature too (against the provider's JWKS, cached), not only TLS.
          oidc.enableNonRepudiationChecks(config);
          return config;
        })
        .catch((cause: unknown) => {
          this.#configuration = null;
          throw new DomainError(
            'UNAVAILABLE',
            {
              en: `the identity provider cannot be reached: ${(cause as Error).message}`,
              zh: '统一身份认证服务暂时无法访问',
            },
            { reason: 'OIDC_UNAVAILABLE' },
          );
        });
    }
    return this.#configuration;
  }

  /** Starts a sign-in: where to send the browser, and the sealed attempt to set as a cookie. */
  async start(returnTo: string, now: Date): Promise<{ url: string; sealed: string }> {
    const config = await this.#discover();
    const pending: PendingLogin = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      returnTo,
      exp: now.getTime() + OIDC_PENDING_SECONDS * 1000,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.#settings.redirectUri,
      scope: 'openid profile',
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, sealed: this.#seal(pending) };
  }

  /**
   * Finishes a sign-in: checks the state against the sealed attempt, exchanges the code (PKCE),
   * validates the ID token (signature, issuer, audience, expiry, nonce) and reads the username
   * claim, from the ID token or else from userinfo.
   * @throws DomainError VALIDATION_FAILED (state), UNAUTHENTICATED (provider refusal or bad
   * token), UNAVAILABLE (provider unreachable)
   */
  async finish(
    query: string,
    sealed: string | undefined,
    now: Date,
  ): Promise<OidcIdentity & { returnTo: string }> {
    const pending = sealed ? this.#open(sealed, now) : null;
    const params = new URLSearchParams(query);
    if (!pending || params.get('state') !== pending.state) throw stateError();
    const config = await this.#discover();
    const current = new URL(this.#settings.redirectUri);
    current.search = params.toString();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (e) {
      throw failed(e instanceof oidc.AuthorizationResponseError ? e.error : (e as Error).message);
    }
    const claims = tokens.claims();
    if (!claims) throw failed('no ID token');
    const claim = this.#settings.usernameClaim;
    let value: unknown = claims[claim];
    if (value === undefined && tokens.access_token) {
      try {
        value = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub))[claim];
      } catch (e) {
        throw failed((e as Error).message);
      }
    }
    return {
      subject: claims.sub,
      username: typeof value === 'string' && value.trim() ? value.trim().toLowerCase() : null,
      returnTo: pending.returnTo,
    };
  }

  #seal(p: PendingLogin): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(p), 'utf8'), cipher.final()]);
    return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
  }

  #open(sealed: string, now: Date): PendingLogin | null {
    try {
      const [iv, body, tag] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv!, { authTagLength: 16 });
      decipher.setAuthTag(tag!);
      const p = JSON.parse(
        Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8'),
      ) as PendingLogin;
      return p.exp > now.getTime() ? p : null;
    } catch {
      return null;
    }
  }
}

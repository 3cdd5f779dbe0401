import type { Executor } from '@hcp/db';
import { DomainError } from '@hcp/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { OidcConfig } from '../config';
import { STATUS_OF, sendError, toDomainError } from '../http/error-handler';
import { LOGIN_PER_MINUTE } from '../http/hardening';
import { pickLanguage } from '../http/language';
import { recordAudit } from './audit';
import { OIDC_PENDING_SECONDS, OidcRelyingParty, safeReturnTo } from './oidc';
import { createSession, setSessionCookie } from './sessions';

const tags = ['identity'];
/** The sealed sign-in attempt; SameSite=Lax because the provider sends the browser back cross-site. */
const PENDING_COOKIE = 'hcp_oidc';
const PENDING_PATH = '/api/v1/auth/oidc/';

export interface OidcRouteDeps {
  db: Executor;
  now: () => Date;
  secret: string;
  publicUrl: string;
  oidc?: OidcConfig | undefined;
}

const refused = (username: string | null) =>
  new DomainError(
    'FORBIDDEN',
    {
      en: username
        ? `no active account ${username}: ask an administrator to create it`
        : 'the identity provider did not send a username',
      zh: username ? `账号 ${username} 不存在或已停用，请联系管理员开通` : '统一身份认证未提供用户名',
    },
    { reason: 'OIDC_REFUSED' },
  );

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Browsers arriving from the provider get a small page (with a way back to the sign-in page) rather
 * than JSON; API clients get the usual error body.
 */
function sendFailure(req: FastifyRequest, reply: FastifyReply, error: unknown) {
  const e = toDomainError(error as Error);
  if (!/text\/html/.test(req.headers.accept ?? '')) return sendError(req, reply, e);
  const en = pickLanguage(req.headers['accept-language']) === 'en';
  const title = en ? 'Sign-in failed' : '登录失败';
  const back = en ? 'Back to sign-in' : '返回登录页';
  const html = `<!doctype html><html lang="${en ? 'en' : 'zh-CN'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1><p>${escapeHtml(en ? e.text.en : e.text.zh)}</p>
<p>${escapeHtml(en ? 'Request id' : '请求编号')}: <code>${escapeHtml(req.id)}</code></p>
<p><a href="/console/login">${back}</a></p></main></body></html>`;
  return reply.status(STATUS_OF[e.code]).type('text/html; charset=utf-8').send(html);
}

/**
 * Single sign-on through the government's unified identity (OpenID Connect), and the sign-in
 * options the login page shows. Without configuration the OIDC routes do not exist (404).
 */
export async function oidcRoutes(app: FastifyInstance, deps: OidcRouteDeps) {
  const { db } = deps;
  const settings = deps.oidc;

  app.get('/api/v1/auth/config', {
    schema: {
      tags,
      summary: 'Sign-in options for the login page',
      response: {
        200: Type.Object({
          password: Type.Boolean(),
          oidc: Type.Boolean({ description: 'Single sign-on is configured' }),
        }),
      },
    },
    handler: async () => ({ password: true, oidc: settings !== undefined }),
  });

  if (!settings) return;
  const rp = new OidcRelyingParty(
    {
      ...settings,
      redirectUri: settings.redirectUri ?? `${deps.publicUrl}/api/v1/auth/oidc/callback`,
    },
    deps.secret,
  );
  const perIp = {
    rateLimit: {
      max: LOGIN_PER_MINUTE,
      timeWindow: '1 minute',
      keyGenerator: (req: FastifyRequest) => `login:${req.ip}`,
    },
  };

  app.get('/api/v1/auth/oidc/login', {
    config: perIp,
    schema: {
      tags,
      summary: 'Start single sign-on: redirects to the identity provider (PKCE, state, nonce)',
      querystring: Type.Object(
        {
          returnTo: Type.Optional(
            Type.String({
              maxLength: 500,
              description: 'A path of this site to return to (default /console)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    },
    handler: async (req, reply) => {
      const returnTo = safeReturnTo((req.query as { returnTo?: string }).returnTo);
      if (returnTo === null) {
        throw new DomainError(
          'VALIDATION_FAILED',
          {
            en: 'querystring.returnTo: must be a path of this site',
            zh: 'querystring.returnTo：只能是本站路径',
          },
          { field: 'querystring.returnTo' },
        );
      }
      const { url, sealed } = await rp.start(returnTo, deps.now());
      reply.setCookie(PENDING_COOKIE, sealed, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
        path: PENDING_PATH,
        maxAge: OIDC_PENDING_SECONDS,
      });
      return reply.redirect(url, 302);
    },
  });

  app.get('/api/v1/auth/oidc/callback', {
    config: perIp,
    schema: {
      tags,
      summary: 'Where the identity provider sends the browser back: signs in an existing account',
      querystring: Type.Object({}, { additionalProperties: Type.String({ maxLength: 4000 }) }),
    },
    handler: async (req, reply) => {
      reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH });
      try {
        const now = deps.now();
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
        const who = await rp.finish(query, req.cookies[PENDING_COOKIE], now);
        const a = who.username
          ? await db
              .selectFrom('accounts')
              .select(['id', 'username', 'display_name', 'role', 'disabled_at'])
              .where('username', '=', who.username)
              .executeTakeFirst()
          : undefined;
        if (!a || a.disabled_at) {
          await recordAudit(db, req, {
            action: 'auth.oidc_refused',
            targetType: a ? 'account' : undefined,
            targetId: a ? String(a.id) : undefined,
            after: {
              username: who.username,
              subject: who.subject,
              reason: a ? 'disabled' : who.username ? 'unknown' : 'no_claim',
            },
            via: 'oidc',
          });
          throw refused(who.username);
        }
        const s = await createSession(db, String(a.id), {
          ip: req.ip,
          userAgent: req.headers['user-agent'] ?? null,
          now,
        });
        setSessionCookie(req, reply, s.id);
        req.actor = {
          kind: 'account',
          id: String(a.id),
          role: a.role,
          unitPath: null,
          via: 'session',
          username: a.username,
        };
        await recordAudit(db, req, {
          action: 'auth.login',
          targetType: 'account',
          targetId: String(a.id),
          after: { subject: who.subject },
          via: 'oidc',
        });
        return reply.redirect(who.returnTo, 302);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return sendFailure(req, reply, e);
      }
    },
  });
}

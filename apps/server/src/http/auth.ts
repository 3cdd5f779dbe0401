import { timingSafeEqual } from 'node:crypto';
import type { Executor } from '@hcp/db';
import { DomainError, type KeyOperation, type RoleId } from '@hcp/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isApiKey, type KeyScope, resolveApiKey } from '../identity/api-keys';
import { resolveSession, SESSION_COOKIE } from '../identity/sessions';
import { isRatingToken } from '../intake/rating-tokens';
import { isPadToken } from '../pads/pad-token';

/** Who is calling: a person signed in with a session, or a system with a key. */
export interface Actor {
  kind: 'system' | 'account';
  /** Account id, or the system's id ('bootstrap-admin' for HCP_ADMIN_KEY). */
  id: string;
  /** An account's role; `system` for an API key (what it may do is in `key`). */
  role: RoleId | 'system';
  /** The key's channels, operations and subtree, for system callers with an API key. */
  key?: KeyScope;
  /** Materialized path of the unit subtree the actor may see; null: everything. */
  unitPath: string | null;
  via: 'key' | 'session';
  username?: string;
  displayName?: string;
  staffNo?: string | null;
  session?: { hash: string; csrfToken: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** A single-use rating token presented as the bearer credential (applicants on SMS/QR links). */
    ratingToken: string | null;
    /** A window pad's token (`pk_…`); the pad is looked up by the routes that accept it. */
    padToken: string | null;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Identifies the caller once per request: `Authorization: Bearer` (the bootstrap key, a rating
 * token `rt_…` or a pad token `pk_…`), else the session cookie. A wrong key is refused at once (401)
 * rather than treated as anonymous. A state-changing request on a session must carry the
 * session's CSRF token in `X-CSRF-Token` (the cookie alone proves nothing: browsers send it to
 * forged requests too).
 */
export function installAuth(
  app: FastifyInstance,
  deps: { adminKey: string | undefined; secret: string; db: Executor; now: () => Date },
) {
  app.decorateRequest('actor', null);
  app.decorateRequest('ratingToken', null);
  app.decorateRequest('padToken', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header) {
      const credential = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (credential && isRatingToken(credential)) {
        request.ratingToken = credential;
        return;
      }
      if (credential && isPadToken(credential)) {
        request.padToken = credential;
        return;
      }
      if (credential && isApiKey(credential)) {
        const key = await resolveApiKey(deps.db, deps.secret, credential, deps.now());
        if (key) {
          request.actor = {
            kind: 'system',
            id: `key:${key.keyId}`,
            role: 'system',
            unitPath: key.unitPath,
            via: 'key',
            key,
          };
          return;
        }
      }
      if (credential && deps.adminKey && sameSecret(credential, deps.adminKey)) {
        request.actor = {
          kind: 'system',
          id: 'bootstrap-admin',
          role: 'sysadmin',
          unitPath: null,
          via: 'key',
        };
        return;
      }
      throw new DomainError(
        'UNAUTHENTICATED',
        { en: 'the API key is not valid', zh: 'API 密钥无效' },
        { field: 'headers.authorization' },
      );
    }
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (!cookie) return;
    const s = await resolveSession(deps.db, cookie, deps.now());
    if (!s) return;
    request.actor = {
      kind: 'account',
      id: s.accountId,
      role: s.role,
      unitPath: s.unitPath,
      via: 'session',
      username: s.username,
      displayName: s.displayName,
      staffNo: s.staffNo,
      session: { hash: s.sessionHash, csrfToken: s.csrfToken },
    };
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, s.csrfToken)) {
        throw new DomainError(
          'FORBIDDEN',
          { en: 'missing or wrong X-CSRF-Token for this session', zh: '缺少或错误的 CSRF 令牌' },
          { field: 'headers.x-csrf-token', reason: 'CSRF' },
        );
      }
    }
  });
}

/** preHandler: a signed-in person or a system, else 401. */
export async function requireActor(request: FastifyRequest) {
  if (!request.actor) {
    throw new DomainError('UNAUTHENTICATED', {
      en: 'sign in or send an API key (Authorization: Bearer <key>)',
      zh: '请登录或提供 API 密钥（Authorization: Bearer <key>）',
    });
  }
}

/** preHandler factory: one of these roles, else 401 (anonymous) or 403. */
export function requireRole(...roles: RoleId[]) {
  return async (request: FastifyRequest) => {
    await requireActor(request);
    if (!roles.includes(request.actor!.role as RoleId)) {
      throw new DomainError('FORBIDDEN', {
        en: `this needs one of the roles: ${roles.join(', ')}`,
        zh: '当前角色无权执行此操作',
      });
    }
  };
}

/**
 * preHandler: a system administrator, or an API key granted this operation (its channels and
 * subtree are checked by the route).
 */
export function requireOperation(op: KeyOperation) {
  return async (request: FastifyRequest) => {
    await requireActor(request);
    const a = request.actor!;
    if (a.role === 'sysadmin' || a.key?.operations.includes(op)) return;
    throw new DomainError(
      'FORBIDDEN',
      { en: `this needs the ${op} permission`, zh: '当前凭据无此操作权限' },
      { operation: op },
    );
  };
}

/** preHandler for writes that only a system administrator may make. */
export const requireSysadmin = requireRole('sysadmin');

/** Whether the caller may see unmasked personal data in the catalogue (staff names). */
export function isAdmin(request: FastifyRequest): boolean {
  return request.actor?.role === 'sysadmin' || request.actor?.role === 'auditor';
}

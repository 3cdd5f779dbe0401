import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '@hcp/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isRatingToken } from '../intake/rating-tokens';

/** Who is calling. Until accounts exist (issue: identity and access) only the bootstrap key. */
export interface Actor {
  kind: 'system';
  id: string;
  role: 'sysadmin';
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

/**
 * Reads `Authorization: Bearer <key>` once per request. A wrong key is refused at once (401) rather
 * than treated as anonymous, so a misconfigured client learns it immediately.
 */
export function installAuth(app: FastifyInstance, adminKey: string | undefined) {
  app.decorateRequest('actor', null);
  app.decorateRequest('ratingToken', null);
  app.decorateRequest('padToken', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match && isRatingToken(match[1]!)) {
      request.ratingToken = match[1]!;
      return;
    }
    if (match?.[1]?.startsWith('pk_')) {
      request.padToken = match[1];
      return;
    }
    if (match && adminKey && sameSecret(match[1]!, adminKey)) {
      request.actor = { kind: 'system', id: 'bootstrap-admin', role: 'sysadmin' };
      return;
    }
    throw new DomainError(
      'UNAUTHENTICATED',
      { en: 'the API key is not valid', zh: 'API 密钥无效' },
      { field: 'headers.authorization' },
    );
  });
}

/** preHandler for writes that only a system administrator may make. */
export async function requireSysadmin(request: FastifyRequest) {
  if (!request.actor) {
    throw new DomainError('UNAUTHENTICATED', {
      en: 'sign in or send an API key (Authorization: Bearer <key>)',
      zh: '请登录或提供 API 密钥（Authorization: Bearer <key>）',
    });
  }
  if (request.actor.role !== 'sysadmin') {
    throw new DomainError('FORBIDDEN', { en: 'system administrators only', zh: '仅系统管理员可执行此操作' });
  }
}

/** Whether the caller may see unmasked personal data in the catalogue (staff names). */
export function isAdmin(request: FastifyRequest): boolean {
  return request.actor?.role === 'sysadmin';
}

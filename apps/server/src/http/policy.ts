import { DomainError, type KeyOperation, type RoleId } from '@hcp/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Who may call a route, named once per route in POLICIES below: the coarse gate every request
 * passes before the route's own rules (subtree scope, ticket party, pad window). A route missing
 * from the table does not start (see `installPolicies`), so nothing is left out by accident.
 *
 * - `anyone`: no credential needed (public pages, login, health).
 * - `account`: any signed-in person (a session), whatever the role.
 * - a role: an account with that role (`sysadmin` also covers the bootstrap HCP_ADMIN_KEY).
 * - `op:<operation>`: a system API key granted that operation.
 * - `token`: a single-use rating token (`rt_…`); `pad`: a paired window pad (`pk_…`).
 * - `key`: any system API key (what it may do is then decided by the route).
 */
export type Principal = 'anyone' | 'account' | RoleId | `op:${KeyOperation}` | 'token' | 'pad' | 'key';

const STAFF_AND_UP: Principal[] = ['staff', 'unit_admin', 'supervisor', 'auditor', 'sysadmin'];
const SIGNED_IN: Principal[] = [...STAFF_AND_UP];
const UNIT: Principal[] = ['unit_admin', 'op:tickets:write'];
const SUPERVISOR: Principal[] = ['supervisor'];
const TICKET_READERS: Principal[] = [...STAFF_AND_UP, 'op:tickets:write'];

/** `METHOD /url` (Fastify's pattern) → who may call it. HEAD follows GET. */
export const POLICIES: Record<string, Principal[]> = {
  // Documentation and the public (双公开).
  'GET /api/openapi.json': ['anyone'],
  'GET /api/v1/channels': ['anyone'],
  'GET /api/v1/rating-catalog': ['anyone'],
  'GET /api/v1/units': ['anyone'],
  'GET /api/v1/units/:key': ['anyone'],
  'GET /api/v1/items': ['anyone'],
  'GET /api/v1/items/:key': ['anyone'],
  'GET /api/v1/windows': ['anyone'],
  'GET /api/v1/windows/:key': ['anyone'],
  'GET /api/v1/staff': ['anyone'],
  'GET /api/v1/staff/:key': ['anyone'],
  'GET /api/v1/public/summary': ['anyone'],
  'GET /api/v1/public/units/:code/scorecard': ['anyone'],
  'GET /api/v1/public/units/:code/feed.atom': ['anyone'],
  'GET /api/v1/public/items/:code/scorecard': ['anyone'],
  'GET /api/v1/public/evaluations': ['anyone'],
  'GET /api/v1/public/evaluations.csv': ['anyone'],
  'GET /api/v1/public/evaluations/:id': ['anyone'],

  // Sign-in (identity).
  'POST /api/v1/auth/login': ['anyone'],
  'GET /api/v1/auth/config': ['anyone'],
  'GET /api/v1/auth/oidc/login': ['anyone'],
  'GET /api/v1/auth/oidc/callback': ['anyone'],
  'POST /api/v1/auth/logout': ['account'],
  'GET /api/v1/auth/me': ['account'],
  'POST /api/v1/auth/totp/setup': ['account'],
  'POST /api/v1/auth/totp/enable': ['account'],
  'GET /api/v1/accounts': ['unit_admin', 'sysadmin'],
  'POST /api/v1/accounts': ['sysadmin'],
  'PUT /api/v1/accounts/:id/password': ['unit_admin', 'sysadmin'],
  'POST /api/v1/accounts/:id/disable': ['unit_admin', 'sysadmin'],
  'POST /api/v1/accounts/:id/enable': ['unit_admin', 'sysadmin'],
  'DELETE /api/v1/accounts/:id/totp': ['sysadmin'],
  'GET /api/v1/api-keys': ['unit_admin', 'sysadmin'],
  'POST /api/v1/api-keys': ['unit_admin', 'sysadmin'],
  'POST /api/v1/api-keys/:id/rotate': ['unit_admin', 'sysadmin'],
  'DELETE /api/v1/api-keys/:id': ['unit_admin', 'sysadmin'],
  'GET /api/v1/audit-log': ['unit_admin', 'auditor', 'sysadmin'],
  'GET /api/v1/audit-log.csv': ['unit_admin', 'auditor', 'sysadmin'],

  // Catalogue editing.
  'PUT /api/v1/units/:key': ['sysadmin'],
  'DELETE /api/v1/units/:key': ['sysadmin'],
  'PUT /api/v1/items/:key': ['sysadmin'],
  'DELETE /api/v1/items/:key': ['sysadmin'],
  'PUT /api/v1/windows/:key': ['sysadmin'],
  'DELETE /api/v1/windows/:key': ['sysadmin'],
  'PUT /api/v1/staff/:key': ['sysadmin'],
  'DELETE /api/v1/staff/:key': ['sysadmin'],

  // Intake: business systems, channels, applicants, pads.
  'POST /api/v1/cases': ['op:cases:write', 'sysadmin'],
  'POST /api/v1/cases/batch': ['op:cases:write', 'sysadmin'],
  'GET /api/v1/cases/:caseNo': ['op:cases:write', 'sysadmin'],
  'GET /api/v1/cases/:caseNo/evaluations': ['op:cases:write', 'sysadmin'],
  'POST /api/v1/cases/:caseNo/rating-tokens': ['op:tokens:write', 'sysadmin'],
  'GET /api/v1/rating-tokens/:token': ['anyone'], // the token in the path is the credential
  'GET /api/v1/rating-tokens/:token/qr.:format': ['anyone'],
  // Channel keys are further limited to their channels by the route.
  'POST /api/v1/evaluations': ['op:evaluations:write', 'token', 'pad', 'sysadmin'],
  'POST /api/v1/hotline/evaluations': ['op:hotline:write', 'sysadmin'],
  'POST /api/v1/windows/:windowNo/pads': ['op:pads:manage', 'sysadmin'],
  'DELETE /api/v1/pads/:padId': ['op:pads:manage', 'sysadmin'],
  'POST /api/v1/pads/pair': ['anyone'], // the pairing code is the credential
  'GET /api/v1/pads/me': ['pad'],
  'GET /api/v1/pads/me/stream': ['pad'],
  'POST /api/v1/windows/:windowNo/rating-requests': ['op:cases:write', 'sysadmin'],
  'GET /api/v1/windows/:windowNo/events': STAFF_AND_UP, // own window or subtree: the route decides
  'GET /api/v1/windows/:windowNo/evaluations': STAFF_AND_UP,

  // The closed loop.
  'GET /api/v1/tickets': TICKET_READERS,
  'GET /api/v1/tickets/:id': TICKET_READERS,
  'POST /api/v1/tickets/:id/contact': UNIT,
  'POST /api/v1/tickets/:id/reply': UNIT,
  'POST /api/v1/tickets/:id/rectify': UNIT,
  'POST /api/v1/tickets/:id/appeal': UNIT,
  'POST /api/v1/tickets/:id/attachments': UNIT,
  'GET /api/v1/tickets/:id/attachments/:attachmentId': TICKET_READERS,
  'POST /api/v1/tickets/:id/sign-off': SUPERVISOR,
  'POST /api/v1/tickets/:id/reject-explanation': SUPERVISOR,
  'POST /api/v1/tickets/:id/appeal-decision': SUPERVISOR,
  'POST /api/v1/tickets/:id/escalate': SUPERVISOR,
  'GET /api/v1/my/ticket': ['token'],
  'GET /api/v1/deadline-rules': SIGNED_IN,
  'PUT /api/v1/deadline-rules/:unitCode': ['sysadmin'],

  // Moderation and notifications.
  'GET /api/v1/moderation': ['supervisor', 'auditor', 'sysadmin'],
  'POST /api/v1/moderation/:id/approve': ['supervisor', 'sysadmin'],
  'POST /api/v1/moderation/:id/edit': ['supervisor', 'sysadmin'],
  'GET /api/v1/sensitive-words': ['supervisor', 'auditor', 'sysadmin'],
  'POST /api/v1/sensitive-words': ['sysadmin'],
  'DELETE /api/v1/sensitive-words/:word': ['sysadmin'],
  'GET /api/v1/webhooks': ['sysadmin'],
  'POST /api/v1/webhooks': ['sysadmin'],
  'DELETE /api/v1/webhooks/:id': ['sysadmin'],
  'GET /api/v1/deliveries': ['sysadmin'],
  'POST /api/v1/deliveries/:id/replay': ['sysadmin'],
  'POST /api/v1/deliveries/replay-dead': ['sysadmin'],
};

/** The principals a request presents. */
export function principalsOf(req: Pick<FastifyRequest, 'actor' | 'ratingToken' | 'padToken'>): Principal[] {
  const out: Principal[] = ['anyone'];
  if (req.ratingToken) out.push('token');
  if (req.padToken) out.push('pad');
  const a = req.actor;
  if (a?.key) out.push('key', ...a.key.operations.map((op) => `op:${op}` as Principal));
  else if (a) out.push(a.role as RoleId, ...(a.kind === 'account' ? (['account'] as const) : []));
  return out;
}

/** Whether the principals meet a route's policy. */
export function allowed(policy: readonly Principal[], principals: readonly Principal[]): boolean {
  return policy.some((p) => principals.includes(p));
}

/** The policy key of a route: GET and HEAD share one entry. */
export const policyKey = (method: string, url: string) => `${method === 'HEAD' ? 'GET' : method} ${url}`;

/**
 * The table covers the API. Outside it are the web app's static files, the health probes and the
 * API documentation pages, all public by nature.
 */
const EXEMPT = /^(?!\/api\/)|^\/api\/docs(\/|$)/;

/**
 * Makes every route name its policy: registering a route without an entry throws at start-up,
 * and every request is checked against its route's entry before the route runs (401 without a
 * credential, 403 with the wrong one).
 */
export function installPolicies(app: FastifyInstance, table: Record<string, Principal[]> = POLICIES) {
  app.addHook('onRoute', (route) => {
    if (EXEMPT.test(route.url)) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      if (!table[policyKey(method, route.url)]) {
        throw new Error(`route ${method} ${route.url} has no entry in the policy table (http/policy.ts)`);
      }
    }
  });
  // Before validation: a caller without the right credential learns nothing about the body.
  app.addHook('preValidation', async (req) => {
    const url = req.routeOptions.url;
    if (!url || EXEMPT.test(url) || req.method === 'OPTIONS') return;
    const policy = table[policyKey(req.method, url)];
    if (!policy) return; // not a route of ours (404 handler)
    const principals = principalsOf(req);
    if (allowed(policy, principals)) return;
    if (principals.length === 1) {
      throw new DomainError('UNAUTHENTICATED', {
        en: 'sign in or send a credential (Authorization: Bearer …)',
        zh: '请登录或提供凭据（Authorization: Bearer …）',
      });
    }
    throw new DomainError('FORBIDDEN', {
      en: 'this credential may not call this route',
      zh: '当前凭据无权访问此接口',
    });
  });
}

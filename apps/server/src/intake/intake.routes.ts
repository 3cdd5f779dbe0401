import { createHash } from 'node:crypto';
import {
  CaseBatchInputSchema,
  CaseBatchResultSchema,
  CaseInputSchema,
  CaseSchema,
  EvaluationInputSchema,
  EvaluationSchema,
  HotlineEvaluationInputSchema,
  RatingTokenInfoSchema,
  RatingTokenSchema,
} from '@hcp/contracts';
import { getCase } from '@hcp/db';
import { DomainError, inScope, notFound } from '@hcp/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { requireOperation } from '../http/auth';
import { requirePad } from '../pads/pads.routes';
import { presentEvaluation } from './decide-ratings';
import type { IntakeDeps } from './intake-deps';
import { ratingLink } from './invite-to-rate';
import { pushCases } from './push-cases';
import type { RatingActor, RatingRequest } from './rating-request';
import { mintRatingToken, ratingTokenInfo } from './rating-tokens';

const tags = ['intake'];
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Retry-safe key, scoped to the caller' }),
  ),
});

/** The caller of a rating endpoint: a system (API key), a window pad, or a rating-token holder; else 401. */
async function raterOf(deps: IntakeDeps, req: FastifyRequest, input: RatingRequest['input']) {
  if (req.padToken) {
    const pad = await requirePad(deps, req);
    if (input.channel !== 'window_pad' || (input.deviceId !== undefined && input.deviceId !== pad.padId)) {
      throw new DomainError(
        'UNPROCESSABLE',
        {
          en: 'a pad rates with channel window_pad and its own id as deviceId',
          zh: '评价器须使用 window_pad 渠道和本机编号',
        },
        { field: input.channel !== 'window_pad' ? 'channel' : 'deviceId' },
      );
    }
    const actor: RatingActor = { kind: 'system', id: `pad:${pad.padId}` };
    return { actor, input: { ...input, deviceId: pad.padId }, restrictWindow: pad.windowNo };
  }
  const a = req.actor;
  if (a?.key) {
    if (!a.key.operations.includes('evaluations:write') || !a.key.channels.includes(input.channel)) {
      throw new DomainError(
        'FORBIDDEN',
        {
          en: `this key may not submit ratings on channel ${input.channel}`,
          zh: '该密钥无权提交此渠道的评价',
        },
        { field: 'channel' },
      );
    }
  } else if (a && a.role !== 'sysadmin') {
    throw new DomainError('FORBIDDEN', {
      en: 'ratings come from channels, not from staff accounts',
      zh: '工作人员账号不能提交评价',
    });
  }
  return {
    actor: actorOf(deps, req),
    input,
    restrictWindow: undefined,
    restrictPath: a?.unitPath ?? undefined,
  };
}

/** 404 for a case that does not exist or lies outside the caller's subtree (indistinguishable). */
async function assertCaseInScope(deps: IntakeDeps, req: FastifyRequest, caseNo: string) {
  const c = await deps.db
    .selectFrom('cases')
    .select('unit_path')
    .where('case_no', '=', caseNo)
    .executeTakeFirst();
  if (!c || !inScope(req.actor?.unitPath ?? null, c.unit_path)) throw notFound('case', caseNo);
}

function actorOf(deps: IntakeDeps, req: FastifyRequest): RatingActor {
  if (req.actor) return { kind: 'system', id: req.actor.id };
  if (req.ratingToken) return { kind: 'token', id: deps.protector.hash('token', req.ratingToken) };
  throw new DomainError('UNAUTHENTICATED', {
    en: 'send a channel API key or a rating token as Authorization: Bearer …',
    zh: '请提供渠道 API 密钥或评价凭证（Authorization: Bearer …）',
  });
}

async function submitRating(deps: IntakeDeps, reply: FastifyReply, request: RatingRequest) {
  const result = await deps.writer.submit(request);
  if ('error' in result) throw result.error;
  if (result.body.windowNo) deps.hub.published(result.body.windowNo, result.body);
  return reply.status(201).send(result.body);
}

/** JSON with object keys in sorted order at every depth. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function idempotencyOf(req: FastifyRequest, actor: RatingActor, body: unknown) {
  const key = (req.headers as { 'idempotency-key'?: string })['idempotency-key'];
  if (!key) return undefined;
  // Keys sorted, so a retry that serialises the same body in another order is the same request.
  const requestHash = createHash('sha256')
    .update(`${req.routeOptions.url}\n${canonicalJson(body)}`)
    .digest('hex');
  return { scope: `${actor.kind}:${actor.id}`, key, requestHash };
}

/** Cases from business systems, ratings from every channel, rating tokens and their QR codes. */
export async function intakeRoutes(app: FastifyInstance, deps: IntakeDeps) {
  const push = { ...deps, invite: { publicUrl: deps.publicUrl, windowDays: deps.windowDays } };

  app.post('/api/v1/cases', {
    schema: {
      tags,
      summary: 'Push one case (办件); idempotent by caseNo',
      body: CaseInputSchema,
      response: { 200: CaseSchema, 201: CaseSchema },
      security: [{ bearer: [] }],
    },
    preHandler: requireOperation('cases:write'),
    handler: async (req, reply) => {
      const [o] = await pushCases(push, [req.body as never], req.actor!.id, req.actor!.unitPath);
      if (o!.outcome === 'rejected') throw o!.error;
      return reply.status(o!.outcome === 'created' ? 201 : 200).send(await getCase(deps.db, o!.caseNo));
    },
  });

  app.post('/api/v1/cases/batch', {
    schema: {
      tags,
      summary: 'Push up to 1,000 cases; one result per record',
      body: CaseBatchInputSchema,
      response: { 200: CaseBatchResultSchema },
      security: [{ bearer: [] }],
    },
    bodyLimit: 4 * 1024 * 1024,
    preHandler: requireOperation('cases:write'),
    handler: async (req) => {
      const outcomes = await pushCases(
        push,
        (req.body as { cases: never[] }).cases,
        req.actor!.id,
        req.actor!.unitPath,
      );
      return {
        results: outcomes.map((o) =>
          o.outcome === 'rejected'
            ? {
                caseNo: o.caseNo,
                outcome: o.outcome,
                error: { code: o.error.code, message: o.error.text.en, details: o.error.details },
              }
            : { caseNo: o.caseNo, outcome: o.outcome },
        ),
      };
    },
  });

  app.get('/api/v1/cases/:caseNo', {
    schema: {
      tags,
      summary: 'One case as stored (no certificate number or phone)',
      params: Type.Object({ caseNo: Type.String({ maxLength: 64 }) }),
      response: { 200: CaseSchema },
      security: [{ bearer: [] }],
    },
    preHandler: requireOperation('cases:write'),
    handler: async (req) => {
      const { caseNo } = req.params as { caseNo: string };
      await assertCaseInScope(deps, req, caseNo);
      return (await getCase(deps.db, caseNo))!;
    },
  });

  app.post('/api/v1/cases/:caseNo/rating-tokens', {
    schema: {
      tags,
      summary: 'Mint a single-use rating token for a case (SMS link, QR code at the window)',
      params: Type.Object({ caseNo: Type.String({ maxLength: 64 }) }),
      body: Type.Optional(
        Type.Object(
          { round: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])) },
          { additionalProperties: false },
        ),
      ),
      response: { 201: RatingTokenSchema },
      security: [{ bearer: [] }],
    },
    preHandler: requireOperation('tokens:write'),
    handler: async (req, reply) => {
      const { caseNo } = req.params as { caseNo: string };
      const round = (req.body as { round?: 1 | 2 } | undefined)?.round ?? 1;
      await assertCaseInScope(deps, req, caseNo);
      const t = await mintRatingToken({ ...deps, now: deps.now() }, caseNo, round);
      return reply.status(201).send({
        token: t.token,
        url: ratingLink(deps.publicUrl, t.token),
        qrSvg: `/api/v1/rating-tokens/${t.token}/qr.svg`,
        round: t.round,
        expiresAt: t.expiresAt.toISOString(),
      });
    },
  });

  const TokenParams = Type.Object({ token: Type.String({ pattern: '^rt_[A-Za-z0-9_-]{20,64}$' }) });
  app.get('/api/v1/rating-tokens/:token', {
    schema: {
      tags,
      summary: 'What a rating page shows for a token (nothing personal)',
      params: TokenParams,
      response: { 200: RatingTokenInfoSchema },
    },
    handler: (req) => ratingTokenInfo({ ...deps, now: deps.now() }, (req.params as { token: string }).token),
  });
  app.get('/api/v1/rating-tokens/:token/qr.:format', {
    schema: {
      tags,
      summary: 'The rating link as a QR code (svg or png)',
      params: Type.Object({ ...TokenParams.properties, format: Type.Enum(['svg', 'png']) }),
    },
    handler: async (req, reply) => {
      const { token, format } = req.params as { token: string; format: 'svg' | 'png' };
      await ratingTokenInfo({ ...deps, now: deps.now() }, token);
      const link = ratingLink(deps.publicUrl, token);
      reply.header('cache-control', 'no-store');
      if (format === 'svg')
        return reply.type('image/svg+xml').send(await QRCode.toString(link, { type: 'svg', margin: 2 }));
      return reply
        .type('image/png')
        .send(await QRCode.toBuffer(link, { type: 'png', margin: 2, width: 320 }));
    },
  });

  app.post('/api/v1/evaluations', {
    schema: {
      tags,
      summary: 'Rate a case (channel system key, or a rating token); 201 only after commit',
      description:
        'One rating per case and round: a second different attempt is 409 ALREADY_RATED; the same Idempotency-Key again returns the first answer.',
      headers: IdempotencyHeaders,
      body: EvaluationInputSchema,
      response: { 201: EvaluationSchema },
      security: [{ bearer: [] }],
    },
    handler: async (req, reply) => {
      const { actor, input, restrictWindow, restrictPath } = await raterOf(
        deps,
        req,
        req.body as RatingRequest['input'],
      );
      if (input.channel === 'hotline') {
        throw new DomainError(
          'UNPROCESSABLE',
          {
            en: 'channel: 12345 ratings go to /api/v1/hotline/evaluations',
            zh: 'channel：12345 热线评价请使用热线接口',
          },
          { field: 'channel' },
        );
      }
      // Only a token holder calls us from the applicant's own device; a channel system's address is
      // its server's, and counting it would flag every busy channel as a burst.
      const ip = actor.kind === 'token' ? req.ip : null;
      return submitRating(deps, reply, {
        input,
        actor,
        idempotency: idempotencyOf(req, actor, req.body),
        ip,
        ...(restrictWindow ? { restrictWindow } : {}),
        ...(restrictPath ? { restrictPath } : {}),
      });
    },
  });

  app.get('/api/v1/cases/:caseNo/evaluations', {
    schema: {
      tags,
      summary: 'The ratings of one case (both rounds)',
      params: Type.Object({ caseNo: Type.String({ maxLength: 64 }) }),
      response: { 200: Type.Array(EvaluationSchema) },
      security: [{ bearer: [] }],
    },
    preHandler: requireOperation('cases:write'),
    handler: async (req) => {
      const { caseNo } = req.params as { caseNo: string };
      await assertCaseInScope(deps, req, caseNo);
      const rows = await deps.db
        .selectFrom('evaluations')
        .selectAll()
        .where('case_no', '=', caseNo)
        .orderBy('round')
        .execute();
      return rows.map((r) => presentEvaluation({ ...r, id: String(r.id) }));
    },
  });

  app.post('/api/v1/hotline/evaluations', {
    schema: {
      tags,
      summary: 'A 12345 operator records a rating for a caller (channel hotline)',
      headers: IdempotencyHeaders,
      body: HotlineEvaluationInputSchema,
      response: { 201: EvaluationSchema },
      security: [{ bearer: [] }],
    },
    preHandler: requireOperation('hotline:write'),
    handler: async (req, reply) => {
      const { operatorId, ...rest } = req.body as { operatorId: string } & Omit<
        RatingRequest['input'],
        'channel'
      >;
      const actor: RatingActor = { kind: 'operator', id: operatorId };
      const input = { ...rest, channel: 'hotline' as const, account: operatorId };
      return submitRating(deps, reply, {
        input,
        actor,
        idempotency: idempotencyOf(req, actor, req.body),
        ip: null,
        ...(req.actor?.unitPath ? { restrictPath: req.actor.unitPath } : {}),
      });
    },
  });
}

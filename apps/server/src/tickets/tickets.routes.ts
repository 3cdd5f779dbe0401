import { createHash } from 'node:crypto';
import {
  AttachmentSchema,
  MyTicketSchema,
  Page,
  TicketActionBodies,
  type TicketActionRoute,
  type TicketListQuery,
  TicketListQuerySchema,
  TicketSchema,
  TicketSummarySchema,
} from '@hcp/contracts';
import { type Executor, inTransaction } from '@hcp/db';
import { DomainError } from '@hcp/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type Actor, requireActor } from '../http/auth';
import { recordAudit } from '../identity/audit';
import type { Protector } from '../security/protector';
import type { DeadlinePolicy } from './deadline-rules';
import { deadlineRuleRoutes } from './deadline-rules.routes';
import { listTickets } from './list-tickets';
import {
  inTicketScope,
  loadTicket,
  mayReadTickets,
  partyOf,
  ticketNotFound,
  ticketScope,
} from './ticket-views';
import { type ActionInput, applyTicketAction, changedMeanwhile } from './transition';

export interface TicketDeps {
  db: Executor;
  now: () => Date;
  policy: DeadlinePolicy;
  protector: Protector;
  publicUrl: string;
}

const tags = ['tickets'];
const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
const MAX_ATTACHMENT = 5 * 1024 * 1024;
const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'application/pdf',
  'application/octet-stream',
];

/** Route segment → the transition-table action it takes (appeal-decision picks one of two). */
const ROUTE_ACTIONS: Record<TicketActionRoute, (body: Record<string, unknown>) => ActionInput> = {
  contact: (b) => ({
    action: 'contact',
    ...(b as Omit<Extract<ActionInput, { action: 'contact' }>, 'action'>),
  }),
  reply: (b) => ({ action: 'reply', text: b.text as string }),
  rectify: (b) => ({ action: 'rectify', text: b.text as string, attachmentIds: b.attachmentIds as string[] }),
  appeal: (b) => ({ action: 'appeal', reason: b.reason as 'malicious', text: b.text as string }),
  'sign-off': (b) => ({ action: 'sign_off', note: b.note as string | undefined }),
  'reject-explanation': (b) => ({ action: 'reject_explanation', note: b.note as string }),
  'appeal-decision': (b) => ({
    action: b.decision === 'upheld' ? 'uphold_appeal' : 'reject_appeal',
    note: b.note as string,
  }),
  escalate: (b) => ({ action: 'escalate', note: b.note as string }),
};

const SUMMARIES: Record<TicketActionRoute, string> = {
  contact: 'Record contact with the applicant and choose the handling path (核实)',
  reply: 'Publish the unit’s reply (公开回复)',
  rectify: 'Record the rectification and what changed (整改), offering it for re-rating',
  appeal: 'Appeal a malicious or mistaken rating (申诉), within the appeal deadline',
  'sign-off': 'Supervisor: accept an explanation (解释说明) and offer it for re-rating',
  'reject-explanation': 'Supervisor: refuse an explanation; the unit must rectify',
  'appeal-decision': 'Supervisor: uphold or reject an appeal',
  escalate: 'Supervisor: escalate a ticket (督办)',
};

function readerOf(req: FastifyRequest): Actor {
  const a = req.actor!;
  if (!mayReadTickets(a)) {
    throw new DomainError('FORBIDDEN', { en: 'this key may not read tickets', zh: '该密钥无权查看工单' });
  }
  return a;
}

/** The closed loop's API: units' queues and actions, supervisors' board, applicants' view. */
export async function ticketRoutes(app: FastifyInstance, deps: TicketDeps) {
  const cal = deps.policy.calendar;

  app.get('/api/v1/tickets', {
    schema: {
      tags,
      summary: 'Tickets in the caller’s subtree: the unit queue and the supervisor board',
      description:
        'Filter by state (or `open`), overdue, deadline and escalation. Sorted by deadline (`due`) or ' +
        'newest first. Staff accounts see the tickets of their own staff number.',
      querystring: TicketListQuerySchema,
      response: { 200: Page(TicketSummarySchema) },
      security: [{ bearer: [] }],
    },
    preHandler: requireActor,
    handler: async (req) => listTickets(deps, readerOf(req), req.query as TicketListQuery),
  });

  app.get('/api/v1/tickets/:id', {
    schema: {
      tags,
      summary: 'One ticket with its rating, texts, deadlines, attachments and history',
      params: IdParams,
      response: { 200: TicketSchema },
      security: [{ bearer: [] }],
    },
    preHandler: requireActor,
    handler: async (req) =>
      loadTicket(deps.db, (req.params as { id: string }).id, readerOf(req), cal, deps.now()),
  });

  for (const [segment, toInput] of Object.entries(ROUTE_ACTIONS) as [
    TicketActionRoute,
    (typeof ROUTE_ACTIONS)[TicketActionRoute],
  ][]) {
    app.post(`/api/v1/tickets/:id/${segment}`, {
      schema: {
        tags,
        summary: SUMMARIES[segment],
        description:
          'Refused with 409 when the ticket is not in a state that allows it, or was changed meanwhile ' +
          '(send `If-Match: <version>` to make sure you act on what you saw).',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ pattern: '^"?[0-9]{1,9}"?$' })) }),
        body: TicketActionBodies[segment],
        response: { 200: TicketSchema },
        security: [{ bearer: [] }],
      },
      preHandler: requireActor,
      handler: async (req) => {
        const actor = req.actor!;
        const { id } = req.params as { id: string };
        const party = partyOf(actor);
        const input = toInput(req.body as Record<string, unknown>);
        const expected = (req.headers['if-match'] as string | undefined)?.replaceAll('"', '');
        const now = deps.now();
        await inTransaction(deps.db, async (trx) => {
          const t = await trx.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
          if (!t || !inTicketScope(ticketScope(actor), t.unit_path, t.staff_no)) throw ticketNotFound(id);
          if (!party) {
            throw new DomainError(
              'FORBIDDEN',
              {
                en: 'only unit administrators and supervisors act on tickets',
                zh: '仅单位管理员和监督人员可处理工单',
              },
              { action: input.action },
            );
          }
          if (expected !== undefined && Number(expected) !== t.version) throw changedMeanwhile(id);
          const before = { state: t.state, version: t.version };
          const after = await applyTicketAction(
            trx,
            t,
            party,
            { kind: actor.kind === 'account' ? 'account' : 'system', id: actor.id, role: actor.role },
            input,
            { now, policy: deps.policy, protector: deps.protector, publicUrl: deps.publicUrl },
          );
          await recordAudit(trx, req, {
            action: `ticket.${input.action}`,
            targetType: 'ticket',
            targetId: id,
            before,
            after: { state: after.state, version: after.version },
          });
        });
        return loadTicket(deps.db, id, actor, cal, deps.now());
      },
    });
  }

  // Attachments arrive as the raw file; the ticket's rectification then names them by id.
  app.addContentTypeParser(
    ATTACHMENT_TYPES.filter((t) => t !== 'application/json'),
    { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT },
    (_req, body, done) => done(null, body),
  );

  app.post('/api/v1/tickets/:id/attachments', {
    schema: {
      tags,
      summary: 'Upload a file for the rectification record (PNG, JPEG, WebP or PDF, at most 5 MB)',
      params: IdParams,
      querystring: Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^/\\\\\\u0000]+$' }) },
        { additionalProperties: false },
      ),
      response: { 201: AttachmentSchema },
      security: [{ bearer: [] }],
    },
    bodyLimit: MAX_ATTACHMENT,
    preHandler: requireActor,
    handler: async (req, reply) => {
      const actor = req.actor!;
      const { id } = req.params as { id: string };
      const t = await deps.db
        .selectFrom('tickets')
        .select(['unit_path', 'staff_no', 'state'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!t || !inTicketScope(ticketScope(actor), t.unit_path, t.staff_no)) throw ticketNotFound(id);
      if (partyOf(actor) !== 'unit') {
        throw new DomainError('FORBIDDEN', {
          en: 'only the handling unit attaches files',
          zh: '仅承办单位可上传附件',
        });
      }
      const data = req.body;
      if (!Buffer.isBuffer(data) || data.length === 0) {
        throw new DomainError(
          'UNSUPPORTED_MEDIA_TYPE',
          {
            en: `send the file as the body with one of: ${ATTACHMENT_TYPES.join(', ')}`,
            zh: '请以文件内容作为请求体上传',
          },
          { field: 'body' },
        );
      }
      const row = await deps.db
        .insertInto('ticket_attachments')
        .values({
          ticket_id: id,
          name: (req.query as { name: string }).name,
          content_type: String(req.headers['content-type']).split(';')[0]!.trim(),
          size: data.length,
          sha256: createHash('sha256').update(data).digest('hex'),
          data,
          uploaded_by: actor.id,
        })
        .returning(['id', 'name', 'content_type', 'size', 'sha256', 'created_at'])
        .executeTakeFirstOrThrow();
      await recordAudit(deps.db, req, {
        action: 'ticket.attach',
        targetType: 'ticket',
        targetId: id,
        after: { attachment: String(row.id), name: row.name, size: row.size, sha256: row.sha256 },
      });
      return reply.status(201).send({
        id: String(row.id),
        name: row.name,
        contentType: row.content_type,
        size: row.size,
        sha256: row.sha256,
        createdAt: row.created_at.toISOString(),
      });
    },
  });

  app.get('/api/v1/tickets/:id/attachments/:attachmentId', {
    schema: {
      tags,
      summary: 'Download an attachment of a ticket',
      params: Type.Object({
        id: Type.String({ pattern: '^[0-9]{1,18}$' }),
        attachmentId: Type.String({ pattern: '^[0-9]{1,18}$' }),
      }),
      security: [{ bearer: [] }],
    },
    preHandler: requireActor,
    handler: async (req, reply) => {
      const { id, attachmentId } = req.params as { id: string; attachmentId: string };
      const a = await deps.db
        .selectFrom('ticket_attachments as a')
        .innerJoin('tickets as t', 't.id', 'a.ticket_id')
        .select(['a.name', 'a.content_type', 'a.data', 't.unit_path', 't.staff_no'])
        .where('a.id', '=', attachmentId)
        .where('a.ticket_id', '=', id)
        .executeTakeFirst();
      if (!a || !inTicketScope(ticketScope(readerOf(req)), a.unit_path, a.staff_no)) throw ticketNotFound(id);
      return reply
        .header('content-type', a.content_type)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`)
        .header('x-content-type-options', 'nosniff')
        .send(a.data);
    },
  });

  app.get('/api/v1/my/ticket', {
    schema: {
      tags,
      summary: 'The applicant’s ticket, through the round-2 rating token sent to them',
      response: { 200: MyTicketSchema },
      security: [{ bearer: [] }],
    },
    handler: async (req) => {
      if (!req.ratingToken) {
        throw new DomainError('UNAUTHENTICATED', {
          en: 'send the rating token from your message as Authorization: Bearer rt_…',
          zh: '请提供短信中的评价凭证',
        });
      }
      const hash = deps.protector.hash('token', req.ratingToken);
      const row = await deps.db
        .selectFrom('rating_tokens as k')
        .innerJoin('tickets as t', 't.case_no', 'k.case_no')
        .select([
          't.id',
          't.case_no',
          't.state',
          't.reply_public',
          't.reply_publication',
          't.rectify_public',
          't.rectify_publication',
          't.due_at',
          'k.used_at',
          'k.expires_at',
        ])
        .where('k.token_hash', '=', hash)
        .executeTakeFirst();
      if (!row)
        throw new DomainError(
          'NOT_FOUND',
          { en: 'no ticket for this token', zh: '未找到对应工单' },
          { field: 'token' },
        );
      const now = deps.now();
      return {
        ticketId: String(row.id),
        caseNo: row.case_no,
        state: row.state,
        reply: row.reply_publication === 'published' ? row.reply_public : null,
        rectification: row.rectify_publication === 'published' ? row.rectify_public : null,
        revisitDue: row.state === 'revisiting' && row.due_at ? row.due_at.toISOString() : null,
        canReRate: row.state === 'revisiting' && !row.used_at && row.expires_at > now,
      };
    },
  });

  await deadlineRuleRoutes(app, deps);
}

import { randomBytes, randomInt } from 'node:crypto';
import { EvaluationSchema } from '@hcp/contracts';
import { insertPad, inTransaction, type PadView, padByToken, pairPad } from '@hcp/db';
import { DomainError, inScope, notFound } from '@hcp/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type Actor, requireActor, requireOperation } from '../http/auth';
import { recordAudit } from '../identity/audit';
import { presentEvaluation } from '../intake/decide-ratings';
import type { IntakeDeps } from '../intake/intake-deps';
import { PAD_TOKEN_PREFIX } from './pad-token';
import { openStream } from './sse';

const tags = ['pads'];
const PAIRING_MINUTES = 10;

const PadViewSchema = Type.Object({
  padId: Type.String(),
  windowNo: Type.String(),
  windowName: Type.String(),
  unitName: Type.String(),
});
const WindowParams = Type.Object({ windowNo: Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$' }) });

/** The pad behind a `Bearer pk_…` credential, or 401. */
export async function requirePad(
  deps: Pick<IntakeDeps, 'db' | 'protector'>,
  req: FastifyRequest,
): Promise<PadView> {
  const pad = req.padToken ? await padByToken(deps.db, deps.protector.hash('token', req.padToken)) : null;
  if (!pad) {
    throw new DomainError('UNAUTHENTICATED', {
      en: 'this pad is not paired (or was revoked)',
      zh: '评价器未配对或已停用',
    });
  }
  return pad;
}

/**
 * Window rating pads (评价器): registration with a pairing code, pairing, the pad's event stream,
 * the business system's rating request, and the window's live feed of ratings for its console.
 */
export async function padRoutes(app: FastifyInstance, deps: IntakeDeps) {
  const { hub } = deps;
  app.addHook('preClose', async () => hub.closeAll());

  app.post('/api/v1/windows/:windowNo/pads', {
    schema: {
      tags,
      summary: 'Register a pad for a window; returns a 6-digit pairing code valid 10 minutes',
      params: WindowParams,
      body: Type.Optional(
        Type.Object(
          { name: Type.Optional(Type.String({ maxLength: 100 })) },
          { additionalProperties: false },
        ),
      ),
      response: {
        201: Type.Object({
          padId: Type.String(),
          windowNo: Type.String(),
          pairingCode: Type.String(),
          pairingExpiresAt: Type.String({ format: 'date-time' }),
        }),
      },
      security: [{ bearer: [] }],
    },
    preHandler: requireOperation('pads:manage'),
    handler: async (req, reply) => {
      const { windowNo } = req.params as { windowNo: string };
      const win = await deps.db
        .selectFrom('windows')
        .innerJoin('units', 'units.code', 'windows.unit_code')
        .select('units.path')
        .where('windows.no', '=', windowNo)
        .executeTakeFirst();
      if (!win || !inScope(req.actor!.unitPath, win.path)) throw notFound('window', windowNo);
      const padId = `PAD-${randomBytes(6).toString('hex').toUpperCase()}`;
      const expiresAt = new Date(deps.now().getTime() + PAIRING_MINUTES * 60_000);
      // A clash with another live code is refused by the unique index: draw again.
      for (let attempt = 0; ; attempt += 1) {
        const pairingCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
        try {
          await insertPad(deps.db, {
            id: padId,
            name: (req.body as { name?: string } | undefined)?.name ?? null,
            windowNo,
            pairingCodeHash: deps.protector.hash('token', `pair:${pairingCode}`),
            expiresAt,
          });
          return reply
            .status(201)
            .send({ padId, windowNo, pairingCode, pairingExpiresAt: expiresAt.toISOString() });
        } catch (e) {
          if ((e as { code?: string }).code !== '23505' || attempt >= 5) throw e;
        }
      }
    },
  });

  app.post('/api/v1/pads/pair', {
    schema: {
      tags,
      summary: 'Pair a pad with its code; returns the pad token (shown once)',
      body: Type.Object(
        { pairingCode: Type.String({ pattern: '^[0-9]{6}$' }) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ ...PadViewSchema.properties, padToken: Type.String() }) },
    },
    handler: async (req) => {
      const { pairingCode } = req.body as { pairingCode: string };
      const padToken = `${PAD_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
      const pad = await pairPad(
        deps.db,
        deps.protector.hash('token', `pair:${pairingCode}`),
        deps.protector.hash('token', padToken),
        deps.now(),
      );
      if (pad === null)
        throw new DomainError(
          'NOT_FOUND',
          { en: 'unknown pairing code', zh: '配对码无效' },
          { field: 'pairingCode' },
        );
      if (pad === 'expired')
        throw new DomainError(
          'GONE',
          { en: 'this pairing code has expired', zh: '配对码已过期' },
          { field: 'pairingCode' },
        );
      return { ...pad, padToken };
    },
  });

  app.delete('/api/v1/pads/:padId', {
    schema: {
      tags,
      summary: 'Revoke a pad at once (lost or replaced): its token stops working',
      params: Type.Object({ padId: Type.String({ pattern: '^PAD-[0-9A-F]{12}$' }) }),
      security: [{ bearer: [] }],
    },
    preHandler: requireOperation('pads:manage'),
    handler: async (req, reply) => {
      const { padId } = req.params as { padId: string };
      const pad = await deps.db
        .selectFrom('pads')
        .innerJoin('windows', 'windows.no', 'pads.window_no')
        .innerJoin('units', 'units.code', 'windows.unit_code')
        .select(['pads.id', 'units.path'])
        .where('pads.id', '=', padId)
        .where('pads.revoked_at', 'is', null)
        .executeTakeFirst();
      if (!pad || !inScope(req.actor!.unitPath, pad.path)) {
        throw new DomainError(
          'NOT_FOUND',
          { en: `pad ${padId} not found`, zh: '评价器不存在' },
          { pad: padId },
        );
      }
      await inTransaction(deps.db, async (trx) => {
        await trx
          .updateTable('pads')
          .set({ revoked_at: deps.now(), token_hash: null, pairing_code_hash: null })
          .where('id', '=', padId)
          .execute();
        await recordAudit(trx, req, { action: 'pad.revoke', targetType: 'pad', targetId: padId });
      });
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/pads/me', {
    schema: {
      tags,
      summary: 'The pad behind the pad token',
      response: { 200: PadViewSchema },
      security: [{ bearer: [] }],
    },
    handler: (req) => requirePad(deps, req),
  });

  app.get('/api/v1/pads/me/stream', {
    schema: {
      tags,
      summary: 'Server-sent events for the pad: `rating-request` when its window asks for a rating',
      security: [{ bearer: [] }],
    },
    handler: async (req, reply) => {
      const pad = await requirePad(deps, req);
      openStream(req, reply, (s) => hub.subscribePad(pad.windowNo, s));
    },
  });

  app.post('/api/v1/windows/:windowNo/rating-requests', {
    schema: {
      tags,
      summary: "The window's business system asks the paired pads to rate a case",
      params: WindowParams,
      body: Type.Object(
        { caseNo: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) },
        { additionalProperties: false },
      ),
      response: { 202: Type.Object({ requestId: Type.String(), delivered: Type.Integer() }) },
      security: [{ bearer: [] }],
    },
    preHandler: requireOperation('cases:write'),
    handler: async (req, reply) => {
      const { windowNo } = req.params as { windowNo: string };
      const { caseNo } = req.body as { caseNo: string };
      const c = await deps.db
        .selectFrom('cases as c')
        .innerJoin('items as i', 'i.code', 'c.item_code')
        .innerJoin('units as u', 'u.code', 'c.unit_code')
        .select([
          'c.case_no',
          'c.window_no',
          'c.staff_no',
          'c.unit_path',
          'i.name as item_name',
          'u.name as unit_name',
        ])
        .where('c.case_no', '=', caseNo)
        .executeTakeFirst();
      if (!c || !inScope(req.actor!.unitPath, c.unit_path))
        throw new DomainError(
          'UNPROCESSABLE',
          { en: `caseNo: case ${caseNo} does not exist`, zh: `caseNo：办件 ${caseNo} 不存在` },
          { field: 'caseNo' },
        );
      if (c.window_no !== windowNo) {
        throw new DomainError(
          'UNPROCESSABLE',
          {
            en: `caseNo: case ${caseNo} was not handled at window ${windowNo}`,
            zh: '该办件不是在此窗口办理的',
          },
          { field: 'caseNo' },
        );
      }
      const sent = hub.requestRating(windowNo, {
        caseNo,
        round: 1,
        itemName: c.item_name,
        unitName: c.unit_name,
        staffNo: c.staff_no,
        windowNo,
      });
      return reply.status(202).send(sent);
    },
  });

  app.get('/api/v1/windows/:windowNo/events', {
    schema: {
      tags,
      summary: "Server-sent events for the window's console: `evaluation` as each rating is stored",
      description: 'Staff see their own window; administrators, supervisors and auditors their subtree.',
      params: WindowParams,
      security: [{ bearer: [] }],
    },
    preHandler: requireActor,
    handler: async (req, reply) => {
      const { windowNo } = req.params as { windowNo: string };
      await assertWindowVisible(deps, req.actor!, windowNo);
      openStream(req, reply, (s) => hub.subscribeFeed(windowNo, s));
    },
  });

  app.get('/api/v1/windows/:windowNo/evaluations', {
    schema: {
      tags,
      summary: 'The latest ratings at a window, newest first (the console feed before it goes live)',
      params: WindowParams,
      querystring: Type.Object(
        { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Array(EvaluationSchema) },
      security: [{ bearer: [] }],
    },
    preHandler: requireActor,
    handler: async (req) => {
      const { windowNo } = req.params as { windowNo: string };
      await assertWindowVisible(deps, req.actor!, windowNo);
      const rows = await deps.db
        .selectFrom('evaluations')
        .selectAll()
        .where('window_no', '=', windowNo)
        .orderBy('id', 'desc')
        .limit((req.query as { limit?: number }).limit ?? 20)
        .execute();
      return rows.map((r) => presentEvaluation({ ...r, id: String(r.id) }));
    },
  });
}

/**
 * A window's feed is for its own staff (the staff member's window in the catalogue) and for
 * accounts whose subtree holds it; anyone else gets 404, as if it did not exist.
 */
async function assertWindowVisible(deps: IntakeDeps, actor: Actor, windowNo: string) {
  const w = await deps.db
    .selectFrom('windows as w')
    .innerJoin('units as u', 'u.code', 'w.unit_code')
    .select(['u.path'])
    .where('w.no', '=', windowNo)
    .executeTakeFirst();
  let visible = !!w && inScope(actor.unitPath, w.path);
  if (visible && actor.role === 'staff') {
    const mine = actor.staffNo
      ? await deps.db
          .selectFrom('staff')
          .select('window_no')
          .where('staff_no', '=', actor.staffNo)
          .executeTakeFirst()
      : undefined;
    visible = mine?.window_no === windowNo;
  }
  if (!visible) throw notFound('window', windowNo);
}

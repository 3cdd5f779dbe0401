import {
  ModerationEditSchema,
  ModerationItemSchema,
  ModerationPageSchema,
  type ModerationQuery,
  ModerationQuerySchema,
  SensitiveWordInputSchema,
  SensitiveWordSchema,
} from '@hcp/contracts';
import type { Executor } from '@hcp/db';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireRole, requireSysadmin } from '../http/auth';
import type { Protector } from '../security/protector';
import { decideModeration, listModeration } from './moderation';
import { addSensitiveWord, listSensitiveWords, removeSensitiveWord } from './sensitive-words';

export interface ModerationDeps {
  db: Executor;
  protector: Protector;
  now: () => Date;
}

const tags = ['moderation'];
const security = [{ bearer: [] }];
const ItemParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) });
const readers = requireRole('supervisor', 'auditor', 'sysadmin');
const deciders = requireRole('supervisor', 'sysadmin');

/** The moderation queue (审核) of held texts and the sensitive-word list (敏感词). */
export async function moderationRoutes(app: FastifyInstance, deps: ModerationDeps) {
  app.get('/api/v1/moderation', {
    schema: {
      tags,
      summary: 'Held texts of your subtree, with originals (supervisors, auditors, system administrators)',
      querystring: ModerationQuerySchema,
      response: { 200: ModerationPageSchema },
      security,
    },
    preHandler: readers,
    handler: (req) => listModeration(deps.db, req.actor!.unitPath, req.query as ModerationQuery),
  });

  app.post('/api/v1/moderation/:id/approve', {
    schema: {
      tags,
      summary: 'Publish the automatically redacted text (supervisors); a second decision is 409',
      params: ItemParams,
      response: { 200: ModerationItemSchema },
      security,
    },
    preHandler: deciders,
    handler: (req) => decideModeration(deps, req, (req.params as { id: string }).id, { kind: 'approve' }),
  });

  app.post('/api/v1/moderation/:id/edit', {
    schema: {
      tags,
      summary: 'Publish an edited text instead, redacted again (supervisors); a second decision is 409',
      params: ItemParams,
      body: ModerationEditSchema,
      response: { 200: ModerationItemSchema },
      security,
    },
    preHandler: deciders,
    handler: (req) =>
      decideModeration(deps, req, (req.params as { id: string }).id, {
        kind: 'edit',
        text: (req.body as { text: string }).text,
      }),
  });

  app.get('/api/v1/sensitive-words', {
    schema: {
      tags,
      summary: 'The sensitive-word list',
      response: { 200: Type.Object({ items: Type.Array(SensitiveWordSchema) }) },
      security,
    },
    preHandler: readers,
    handler: async () => ({ items: await listSensitiveWords(deps.db) }),
  });

  app.post('/api/v1/sensitive-words', {
    schema: {
      tags,
      summary: 'Add a word (system administrators); texts published before are not checked again',
      body: SensitiveWordInputSchema,
      response: { 201: SensitiveWordSchema },
      security,
    },
    preHandler: requireSysadmin,
    handler: async (req, reply) =>
      reply.status(201).send(await addSensitiveWord(deps.db, req, (req.body as { word: string }).word)),
  });

  app.delete('/api/v1/sensitive-words/:word', {
    schema: {
      tags,
      summary: 'Remove a word (system administrators)',
      params: Type.Object({ word: Type.String({ minLength: 1, maxLength: 50 }) }),
      security,
    },
    preHandler: requireSysadmin,
    handler: async (req, reply) => {
      await removeSensitiveWord(deps.db, req, (req.params as { word: string }).word);
      return reply.status(204).send();
    },
  });
}

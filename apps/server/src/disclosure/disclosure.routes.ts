import type { FastifyInstance } from 'fastify';
import { type ModerationDeps, moderationRoutes } from './moderation.routes';
import { type PublicDeps, publicRoutes } from './public.routes';

/** Public disclosure: the public rating API, the moderation queue and the sensitive-word list. */
export async function disclosureRoutes(app: FastifyInstance, deps: PublicDeps & ModerationDeps) {
  await publicRoutes(app, deps);
  await moderationRoutes(app, deps);
}

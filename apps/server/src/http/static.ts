import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { DomainError } from '@hcp/domain';
import type { FastifyInstance } from 'fastify';
import { sendError } from './error-handler';

/** The built web app: apps/web/dist, two levels up from both apps/server/src and apps/server/dist. */
export function webDistDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');
}

/**
 * Serves the single-page app at `/` with a fallback to index.html for its client-side routes;
 * unknown `/api` paths stay JSON 404s. Without a build, `/` says how to make one.
 */
export async function installWebApp(app: FastifyInstance, root: string | null) {
  const built = root !== null && existsSync(join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: ['index.html'],
      // Hashed assets never change; index.html must be re-read after every deploy so that it never
      // points at assets that are gone.
      setHeaders: (reply, path) => {
        reply.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const isPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      !/\.\w+$/.test(request.url.split('?')[0]!);
    if (isPage && built) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    if (isPage)
      return reply.type('text/plain; charset=utf-8').send('Web app not built: run `npm run build`.\n');
    return sendError(
      request,
      reply,
      new DomainError('NOT_FOUND', {
        en: `no route ${request.method} ${request.url}`,
        zh: '请求的地址不存在',
      }),
    );
  });
}

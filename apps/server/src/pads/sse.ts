import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Stream } from './window-hub';

const HEARTBEAT_MS = 15_000;

/**
 * Turns a request into a server-sent-events stream: headers, a heartbeat comment so proxies keep
 * it open, and cleanup when the client goes away.
 */
export function openStream(req: FastifyRequest, reply: FastifyReply, subscribe: (s: Stream) => () => void) {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': req.id,
  });
  res.write(': connected\n\n');
  let closed = false;
  const stream: Stream = {
    send(event, data) {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (closed) return;
      closed = true;
      res.end();
    },
  };
  const unsubscribe = subscribe(stream);
  const heartbeat = setInterval(() => {
    if (!closed) res.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  req.raw.on('close', () => {
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
  });
}

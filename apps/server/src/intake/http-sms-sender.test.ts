import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSmsSender } from './http-sms-sender';

describe('HttpSmsSender', () => {
  let server: Server;
  let url: string;
  const received: { headers: Record<string, unknown>; body: string }[] = [];
  let status = 200;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/sms`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts the message signed with the shared secret', async () => {
    await new HttpSmsSender(url, 'gateway-secret').send('13912345678', '请评价');
    const got = received.at(-1)!;
    expect(JSON.parse(got.body)).toEqual({ to: '13912345678', text: '请评价' });
    const expected = createHmac('sha256', 'gateway-secret')
      .update(`${got.headers['x-hcp-timestamp']}.${got.body}`)
      .digest('hex');
    expect(got.headers['x-hcp-signature']).toBe(`sha256=${expected}`);
  });

  it('fails on a non-2xx answer', async () => {
    status = 503;
    await expect(new HttpSmsSender(url, 's').send('13912345678', 'x')).rejects.toThrow(/503/);
    status = 200;
  });
});

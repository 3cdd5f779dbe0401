import type { EvaluationInput } from '@hcp/contracts';
import { describe, expect, it } from 'vitest';
import { createHcpClient, HcpApiError, isTransientError, type PadRatingRequest } from './index';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fetch that records each call and answers with the given response factory. */
function fakeFetch(respond: (call: Call, signal?: AbortSignal | null) => Response) {
  const calls: Call[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const call = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body as string | undefined,
    };
    calls.push(call);
    return respond(call, init?.signal);
  };
  return { fetch, calls };
}

const rating: EvaluationInput = { caseNo: 'C1', round: 1, level: 4, channel: 'window_pad', deviceId: 'p1' };

describe('rating calls', () => {
  it('looks up a rating token', async () => {
    const { fetch, calls } = fakeFetch(() => Response.json({ caseNo: 'C1' }));
    const client = createHcpClient({ fetch, token: 'admin' });
    expect(await client.ratingTokens.get('rt_abc')).toEqual({ caseNo: 'C1' });
    expect(calls[0]).toMatchObject({ method: 'GET', url: '/api/v1/rating-tokens/rt_abc' });
  });

  it('posts a rating with the idempotency key and the credential instead of the client token', async () => {
    const { fetch, calls } = fakeFetch(() => Response.json({ id: '1', ...rating }, { status: 201 }));
    const client = createHcpClient({ fetch, token: 'admin', locale: () => 'en' });
    const made = await client.evaluations.create(rating, { idempotencyKey: 'k-1', credential: 'pk_pad' });
    expect(made).toMatchObject({ id: '1', level: 4 });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/evaluations',
      body: JSON.stringify(rating),
    });
    expect(calls[0]?.headers).toMatchObject({
      Authorization: 'Bearer pk_pad',
      'Idempotency-Key': 'k-1',
      'Content-Type': 'application/json',
      'Accept-Language': 'en',
    });
  });

  it('sends no Idempotency-Key when none is given and keeps the client token', async () => {
    const { fetch, calls } = fakeFetch(() => Response.json({}, { status: 201 }));
    await createHcpClient({ fetch, token: 'sys' }).evaluations.create(rating);
    expect(calls[0]?.headers['Idempotency-Key']).toBeUndefined();
    expect(calls[0]?.headers.Authorization).toBe('Bearer sys');
  });

  it('maps a 409 to HcpApiError with the reason, which is not transient', async () => {
    const body = {
      code: 'CONFLICT',
      message: '已评价',
      details: { field: 'caseNo', reason: 'ALREADY_RATED' },
    };
    const { fetch } = fakeFetch(() => Response.json(body, { status: 409 }));
    const err = await createHcpClient({ fetch })
      .evaluations.create(rating)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 409, details: { reason: 'ALREADY_RATED' } });
    expect(isTransientError(err)).toBe(false);
  });
});

describe('isTransientError', () => {
  it.each([
    [0, true],
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [404, false],
    [410, false],
    [422, false],
  ])('status %i → %s', (status, expected) => {
    expect(isTransientError(new HcpApiError(status, { code: 'X', message: 'x' }))).toBe(expected);
  });
  it('is false for anything that is not an API error', () => {
    expect(isTransientError(new Error('x'))).toBe(false);
  });
});

describe('pads', () => {
  it('pairs anonymously and reads its own record with the pad token', async () => {
    const { fetch, calls } = fakeFetch((c) =>
      c.url.endsWith('/pair')
        ? Response.json({ padId: 'p1', padToken: 'pk_1' })
        : Response.json({ padId: 'p1' }),
    );
    const client = createHcpClient({ fetch });
    expect(await client.pads.pair({ pairingCode: '123456' })).toMatchObject({ padToken: 'pk_1' });
    expect(await client.pads.me({ credential: 'pk_1' })).toEqual({ padId: 'p1' });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/pads/pair',
      body: '{"pairingCode":"123456"}',
    });
    expect(calls[0]?.headers.Authorization).toBeUndefined();
    expect(calls[1]).toMatchObject({ method: 'GET', url: '/api/v1/pads/me' });
    expect(calls[1]?.headers.Authorization).toBe('Bearer pk_1');
  });

  it('streams rating requests with the pad token, skipping pings, other events and bad data', async () => {
    const request: PadRatingRequest = {
      requestId: 'r1',
      caseNo: 'C1',
      round: 1,
      itemName: '护照',
      staffNo: 'S01',
      unitName: '出入境',
      windowNo: 'W1',
    };
    const enc = new TextEncoder();
    const { fetch, calls } = fakeFetch(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(ctrl) {
              ctrl.enqueue(
                enc.encode(': ping\n\nevent: other\ndata: {}\n\nevent: rating-request\ndata: nope\n\n'),
              );
              ctrl.enqueue(enc.encode(`event: rating-request\ndata: ${JSON.stringify(request)}\n\n`));
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    );
    const got: PadRatingRequest[] = [];
    const handle = createHcpClient({ fetch }).pads.stream({
      credential: 'pk_1',
      onRatingRequest: (r) => {
        got.push(r);
        handle.close();
      },
    });
    await handle.done;
    expect(got).toEqual([request]);
    expect(calls[0]).toMatchObject({ method: 'GET', url: '/api/v1/pads/me/stream' });
    expect(calls[0]?.headers).toMatchObject({ Authorization: 'Bearer pk_1', Accept: 'text/event-stream' });
  });

  it('reports a revoked pad on the stream as fatal', async () => {
    const { fetch } = fakeFetch(() =>
      Response.json({ code: 'UNAUTHENTICATED', message: 'revoked' }, { status: 401 }),
    );
    const fatal: unknown[] = [];
    const handle = createHcpClient({ fetch }).pads.stream({
      credential: 'pk_old',
      onRatingRequest: () => {},
      onFatal: (e) => fatal.push(e),
    });
    await handle.done;
    expect(fatal[0]).toBeInstanceOf(HcpApiError);
    expect(fatal[0]).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });
});

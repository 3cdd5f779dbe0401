import type { UnitInput } from '@hcp/contracts';
import { describe, expect, it } from 'vitest';
import { buildQuery, createHcpClient, HcpApiError } from './index';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fetch that records each call and answers with the given response factory. */
function fakeFetch(respond: () => Response = () => Response.json({ items: [], nextCursor: null })) {
  const calls: Call[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body as string | undefined,
    });
    return respond();
  };
  return { fetch, calls };
}

describe('buildQuery', () => {
  it('skips undefined, null and empty values and encodes the rest', () => {
    expect(buildQuery({ a: 1, b: undefined, c: null, d: '', q: '徐汇 区&x', t: true })).toBe(
      '?a=1&q=%E5%BE%90%E6%B1%87+%E5%8C%BA%26x&t=true',
    );
  });
  it('repeats array keys and returns nothing for an empty query', () => {
    expect(buildQuery({ k: ['x', 'y'] })).toBe('?k=x&k=y');
    expect(buildQuery({})).toBe('');
    expect(buildQuery()).toBe('');
  });
});

describe('createHcpClient', () => {
  it('lists units with the query string under the base URL', async () => {
    const { fetch, calls } = fakeFetch(() => Response.json({ items: [{ code: 'sh' }], nextCursor: 'c2' }));
    const client = createHcpClient({ baseUrl: 'http://api.test/', fetch });
    const page = await client.units.list({ level: 'city', limit: 20, cursor: undefined });
    expect(page).toEqual({ items: [{ code: 'sh' }], nextCursor: 'c2' });
    expect(calls[0]?.url).toBe('http://api.test/api/v1/units?level=city&limit=20');
    expect(calls[0]?.method).toBe('GET');
  });

  it('encodes keys in paths and uses the right key per resource', async () => {
    const { fetch, calls } = fakeFetch(() => Response.json({}));
    const client = createHcpClient({ fetch });
    await client.units.get('a b/c');
    await client.windows.get('W-01');
    await client.staff.get('S001');
    await client.items.list({ unit: 'xh', q: '护照' });
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/units/a%20b%2Fc',
      '/api/v1/windows/W-01',
      '/api/v1/staff/S001',
      '/api/v1/items?unit=xh&q=%E6%8A%A4%E7%85%A7',
    ]);
  });

  it('sends Accept-Language from locale() on every call and the bearer token', async () => {
    const { fetch, calls } = fakeFetch();
    let locale = 'zh-CN';
    const client = createHcpClient({ fetch, token: 'k1', locale: () => locale });
    await client.units.list();
    locale = 'en';
    await client.items.list();
    expect(calls[0]?.headers['Accept-Language']).toBe('zh-CN');
    expect(calls[1]?.headers['Accept-Language']).toBe('en');
    expect(calls[0]?.headers.Authorization).toBe('Bearer k1');
    expect(calls[0]?.headers.Accept).toBe('application/json');
  });

  it('omits Authorization without a token and reads a token function each time', async () => {
    const { fetch, calls } = fakeFetch();
    let token: string | undefined;
    const client = createHcpClient({ fetch, token: () => token });
    await client.units.list();
    token = 't2';
    await client.units.list();
    expect(calls[0]?.headers.Authorization).toBeUndefined();
    expect(calls[1]?.headers.Authorization).toBe('Bearer t2');
  });

  it('PUTs the input as JSON at the key path and DELETEs with an empty answer', async () => {
    const input: UnitInput = {
      code: 'xh',
      name: '徐汇区人民政府',
      level: 'district',
      kind: 'government',
      parentCode: 'sh',
      creditCode: null,
      divisionCode: '310104',
    };
    let status = 200;
    const { fetch, calls } = fakeFetch(() =>
      status === 204 ? new Response(null, { status }) : Response.json(input, { status }),
    );
    const client = createHcpClient({ fetch, token: 'k' });
    expect(await client.units.put(input)).toEqual(input);
    status = 204;
    expect(await client.units.remove('xh')).toBeUndefined();
    expect(calls[0]).toMatchObject({ method: 'PUT', url: '/api/v1/units/xh', body: JSON.stringify(input) });
    expect(calls[0]?.headers['Content-Type']).toBe('application/json');
    expect(calls[1]).toMatchObject({ method: 'DELETE', url: '/api/v1/units/xh', body: undefined });
  });

  it('reaches channels and the rating catalogue', async () => {
    const { fetch, calls } = fakeFetch(() => Response.json([]));
    const client = createHcpClient({ fetch });
    await client.channels.list();
    await client.ratingCatalog.current();
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/channels', '/api/v1/rating-catalog']);
  });
});

describe('errors', () => {
  it('maps an error body to HcpApiError with every field', async () => {
    const body = { code: 'NOT_FOUND', message: '未找到单位', details: { code: 'x' }, requestId: 'r-1' };
    const { fetch } = fakeFetch(() => Response.json(body, { status: 404 }));
    const err = await createHcpClient({ fetch })
      .units.get('x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HcpApiError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ status: 404, ...body });
  });

  it('falls back to the x-request-id header when the body has none', async () => {
    const { fetch } = fakeFetch(() =>
      Response.json(
        { code: 'FORBIDDEN', message: 'no' },
        { status: 403, headers: { 'x-request-id': 'h-9' } },
      ),
    );
    await expect(createHcpClient({ fetch }).units.remove('x')).rejects.toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      requestId: 'h-9',
    });
  });

  it('still throws HcpApiError when the error body is not JSON', async () => {
    const { fetch } = fakeFetch(
      () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    await expect(createHcpClient({ fetch }).units.list()).rejects.toMatchObject({
      name: 'HcpApiError',
      status: 502,
      code: 'HTTP_ERROR',
      message: 'HTTP 502 Bad Gateway',
      details: undefined,
    });
  });

  it('treats JSON without code/message as a generic error', async () => {
    const { fetch } = fakeFetch(() => Response.json({ error: 'x' }, { status: 500 }));
    await expect(createHcpClient({ fetch }).units.list()).rejects.toMatchObject({ code: 'HTTP_ERROR' });
  });

  it('reports a 2xx answer that is not JSON', async () => {
    const { fetch } = fakeFetch(() => new Response('<!doctype html>', { status: 200 }));
    await expect(createHcpClient({ fetch }).units.list()).rejects.toMatchObject({
      status: 200,
      code: 'INVALID_RESPONSE',
    });
  });

  it('wraps network failures with status 0 but lets aborts through', async () => {
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(createHcpClient({ fetch: down }).units.list()).rejects.toMatchObject({
      status: 0,
      code: 'NETWORK_ERROR',
    });
    const aborted: typeof fetch = async () => {
      throw new DOMException('aborted', 'AbortError');
    };
    await expect(createHcpClient({ fetch: aborted }).units.list()).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('passes the abort signal to fetch', async () => {
    let seen: AbortSignal | null | undefined;
    const fetch: typeof globalThis.fetch = async (_input, init) => {
      seen = init?.signal;
      return Response.json({ items: [], nextCursor: null });
    };
    const ctrl = new AbortController();
    await createHcpClient({ fetch }).items.list({}, { signal: ctrl.signal });
    expect(seen).toBe(ctrl.signal);
  });
});

import { describe, expect, it } from 'vitest';
import { HcpApiError } from './http';
import { connectEventStream, type SseEvent, SseParser, type StreamStatus } from './sse';

describe('SseParser', () => {
  it('parses typed events, skips comments and joins multi-line data', () => {
    const p = new SseParser();
    const events = p.feed(
      ': ping\n\nevent: rating-request\ndata: {"a":1}\n\ndata: line 1\ndata:line 2\nid: 7\n\n',
    );
    expect(events).toEqual([
      { type: 'rating-request', data: '{"a":1}', id: undefined },
      { type: 'message', data: 'line 1\nline 2', id: '7' },
    ]);
    expect(p.lastEventId).toBe('7');
  });

  it('keeps partial lines and events across chunks of any size', () => {
    const text = 'event: x\r\ndata: héllo 评价\r\n\r\nevent: y\rdata: 2\r\r';
    const whole = new SseParser().feed(text);
    const p = new SseParser();
    const split: SseEvent[] = [];
    for (const ch of text) split.push(...p.feed(ch));
    expect(split).toEqual(whole);
    expect(whole).toEqual([
      { type: 'x', data: 'héllo 评价', id: undefined },
      { type: 'y', data: '2', id: undefined },
    ]);
  });

  it('treats a CRLF split between chunks as one line end', () => {
    const p = new SseParser();
    expect(p.feed('data: a\r')).toEqual([]);
    expect(p.feed('\n\r')).toEqual([{ type: 'message', data: 'a', id: undefined }]);
    expect(p.feed('\ndata: b\n\n')).toEqual([{ type: 'message', data: 'b', id: undefined }]);
  });

  it('drops a leading BOM, ignores events without data and reads retry', () => {
    const p = new SseParser();
    expect(p.feed('\uFEFFevent: empty\n\nretry: 2500\nretry: x\ndata\n\n')).toEqual([
      { type: 'message', data: '', id: undefined },
    ]);
    expect(p.retryMs).toBe(2500);
  });
});

/** A response whose body streams the given chunks, then ends (or stays open when `hang`). */
function streamResponse(chunks: string[], hang = false): Response {
  const enc = new TextEncoder();
  return new Response(
    new ReadableStream<Uint8Array>({
      start(ctrl) {
        for (const c of chunks) ctrl.enqueue(enc.encode(c));
        if (!hang) ctrl.close();
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  );
}

/** A body that never sends anything but closes when the request is aborted. */
function silentResponse(signal: AbortSignal): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(ctrl) {
        signal.addEventListener('abort', () => ctrl.error(new DOMException('aborted', 'AbortError')));
      },
    }),
  );
}

describe('connectEventStream', () => {
  it('delivers events and reconnects after the stream ends, sending Last-Event-ID', async () => {
    const seen: (string | undefined)[] = [];
    const events: string[] = [];
    const statuses: StreamStatus[] = [];
    let calls = 0;
    const handle = connectEventStream({
      open: async ({ lastEventId }) => {
        seen.push(lastEventId);
        calls++;
        if (calls === 1) return streamResponse(['id: 1\ndata: one\n\n']);
        return streamResponse(['data: two\n\n'], true);
      },
      onEvent: (e) => {
        events.push(e.data);
        if (events.length === 2) handle.close();
      },
      onStatus: (s) => statuses.push(s),
      minDelayMs: 1,
      random: () => 0,
    });
    await handle.done;
    expect(events).toEqual(['one', 'two']);
    expect(seen).toEqual([undefined, '1']);
    expect(statuses).toEqual(['connecting', 'open', 'retrying', 'connecting', 'open', 'closed']);
  });

  it('backs off exponentially on network errors and 5xx, up to the maximum', async () => {
    const delays: number[] = [];
    let calls = 0;
    const handle = connectEventStream({
      open: async () => {
        calls++;
        if (calls === 5) return streamResponse([], true);
        throw calls % 2
          ? new HcpApiError(0, { code: 'NETWORK_ERROR', message: 'down' })
          : new HcpApiError(503, { code: 'UNAVAILABLE', message: 'busy' });
      },
      onEvent: () => {},
      onStatus: (s, d) => {
        if (d) delays.push(d.delayMs);
        if (s === 'open') handle.close();
      },
      minDelayMs: 2,
      maxDelayMs: 10,
      random: () => 1,
    });
    await handle.done;
    expect(delays).toEqual([2, 4, 8, 10]);
  });

  it('stops for good on a 401 and reports it', async () => {
    const fatal: unknown[] = [];
    let calls = 0;
    const handle = connectEventStream({
      open: async () => {
        calls++;
        throw new HcpApiError(401, { code: 'UNAUTHENTICATED', message: 'revoked' });
      },
      onEvent: () => {},
      onFatal: (e) => fatal.push(e),
      minDelayMs: 1,
    });
    await handle.done;
    expect(calls).toBe(1);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ status: 401 });
  });

  it('reconnects a connection that went silent past the idle timeout', async () => {
    let calls = 0;
    const handle = connectEventStream({
      open: async ({ signal }) => {
        calls++;
        if (calls === 2) handle.close();
        return silentResponse(signal);
      },
      onEvent: () => {},
      idleTimeoutMs: 5,
      minDelayMs: 1,
    });
    await handle.done;
    expect(calls).toBe(2);
  });

  it('close() during the backoff wait ends at once', async () => {
    const handle = connectEventStream({
      open: async () => {
        throw new HcpApiError(0, { code: 'NETWORK_ERROR', message: 'down' });
      },
      onEvent: () => {},
      onStatus: (s) => {
        if (s === 'retrying') handle.close();
      },
      minDelayMs: 60_000,
    });
    await handle.done;
  });
});

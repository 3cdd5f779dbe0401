import type { EvaluationInput } from '@hcp/contracts';
import { HcpApiError } from '@hcp/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearPad, loadPad, PAD_STORAGE_KEY, type PadStorage, savePad } from './pad-storage';
import { createRatingQueue, QUEUE_STORAGE_KEY, type QueuedRating, startRetryLoop } from './rating-queue';

/** An in-memory Storage. */
function fakeStorage(initial: Record<string, string> = {}): PadStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const down = () => new HcpApiError(0, { code: 'NETWORK_ERROR', message: 'offline' });
const apiError = (status: number, reason?: string) =>
  new HcpApiError(status, { code: 'X', message: 'x', details: reason ? { reason } : undefined });

/** A fake client: answers each POST from a script of outcomes ('ok' or an error), recording the calls. */
function fakeSend(...script: ('ok' | HcpApiError)[]) {
  const calls: QueuedRating[] = [];
  const send = async (item: QueuedRating) => {
    calls.push(item);
    const next = script.shift() ?? 'ok';
    if (next !== 'ok') throw next;
    return { id: String(calls.length) };
  };
  return { send, calls };
}

const body = (caseNo: string, level = 4): EvaluationInput => ({
  caseNo,
  round: 1,
  level,
  channel: 'window_pad',
  deviceId: 'pad-1',
});

describe('rating queue', () => {
  it('sends at once when the server answers and keeps nothing', async () => {
    const storage = fakeStorage();
    const { send, calls } = fakeSend('ok');
    const q = createRatingQueue({ storage, send });
    expect(await q.submit(body('C1'), 'k1')).toBe('sent');
    expect(calls).toEqual([{ body: body('C1'), key: 'k1' }]);
    expect(q.items()).toEqual([]);
    expect(storage.data.has(QUEUE_STORAGE_KEY)).toBe(false);
  });

  it('queues on a network error or a 5xx, persists it, and notifies listeners', async () => {
    const storage = fakeStorage();
    const { send } = fakeSend(down(), apiError(503));
    const q = createRatingQueue({ storage, send });
    const sizes: number[] = [];
    q.subscribe((n) => sizes.push(n));
    expect(await q.submit(body('C1'), 'k1')).toBe('queued');
    expect(await q.submit(body('C2'), 'k2')).toBe('queued');
    expect(sizes).toEqual([1, 2]);
    expect(JSON.parse(storage.data.get(QUEUE_STORAGE_KEY)!)).toEqual([
      { body: body('C1'), key: 'k1' },
      { body: body('C2'), key: 'k2' },
    ]);
  });

  it('rejects other 4xx answers of a fresh submission without queueing them', async () => {
    const { send } = fakeSend(apiError(422));
    const q = createRatingQueue({ storage: fakeStorage(), send });
    await expect(q.submit(body('C1', 1), 'k1')).rejects.toMatchObject({ status: 422 });
    expect(q.items()).toEqual([]);
  });

  it('flushes in order with the same keys, and drops what the server refuses for good', async () => {
    const storage = fakeStorage({
      [QUEUE_STORAGE_KEY]: JSON.stringify([
        { body: body('C1'), key: 'k1' },
        { body: body('C2'), key: 'k2' },
        { body: body('C3'), key: 'k3' },
      ]),
    });
    const dropped: string[] = [];
    const { send, calls } = fakeSend('ok', apiError(409, 'ALREADY_RATED'), 'ok');
    const q = createRatingQueue({ storage, send, onDrop: (i) => dropped.push(i.key) });
    expect(q.items()).toHaveLength(3);
    expect(await q.flush()).toEqual({ sent: 2, dropped: 1, remaining: 0 });
    expect(calls.map((c) => c.key)).toEqual(['k1', 'k2', 'k3']);
    expect(dropped).toEqual(['k2']);
    expect(storage.data.has(QUEUE_STORAGE_KEY)).toBe(false);
  });

  it('stops at the first rating that still cannot get through, keeping it and the rest', async () => {
    const storage = fakeStorage();
    const { send, calls } = fakeSend(down(), down(), 'ok', down());
    const q = createRatingQueue({ storage, send });
    await q.submit(body('C1'), 'k1');
    await q.submit(body('C2'), 'k2');
    expect(await q.flush()).toEqual({ sent: 1, dropped: 0, remaining: 1 });
    expect(q.items().map((i) => i.key)).toEqual(['k2']);
    expect(calls.map((c) => c.key)).toEqual(['k1', 'k2', 'k1', 'k2']);
    // A new queue over the same storage (page reloaded) picks up the rest.
    expect(createRatingQueue({ storage, send }).items()).toEqual([{ body: body('C2'), key: 'k2' }]);
  });

  it('runs one flush at a time', async () => {
    let release!: () => void;
    const calls: string[] = [];
    const send = async (item: QueuedRating) => {
      calls.push(item.key);
      await new Promise<void>((r) => {
        release = r;
      });
    };
    const storage = fakeStorage({ [QUEUE_STORAGE_KEY]: JSON.stringify([{ body: body('C1'), key: 'k1' }]) });
    const q = createRatingQueue({ storage, send });
    const a = q.flush();
    const b = q.flush();
    expect(a).toBe(b);
    release();
    expect(await a).toEqual({ sent: 1, dropped: 0, remaining: 0 });
    expect(calls).toEqual(['k1']);
  });

  it('ignores unreadable storage', () => {
    const storage = fakeStorage({ [QUEUE_STORAGE_KEY]: '{not json' });
    expect(createRatingQueue({ storage, send: async () => {} }).items()).toEqual([]);
    storage.data.set(QUEUE_STORAGE_KEY, JSON.stringify([{ key: 'k' }, 5, { body: body('C1'), key: 'k1' }]));
    expect(createRatingQueue({ storage, send: async () => {} }).items()).toHaveLength(1);
  });
});

describe('retry loop', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries every interval while ratings wait and at once when the network comes back', async () => {
    vi.useFakeTimers();
    const storage = fakeStorage();
    const { send, calls } = fakeSend(down(), down(), down(), 'ok');
    const q = createRatingQueue({ storage, send });
    await q.submit(body('C1'), 'k1');
    const online = new EventTarget();
    let paired = true;
    const stop = startRetryLoop(q, { intervalMs: 10_000, onlineTarget: online, canFlush: () => paired });

    await vi.advanceTimersByTimeAsync(9_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    paired = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
    paired = true;
    online.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls.map((c) => c.key)).toEqual(['k1', 'k1', 'k1', 'k1']);
    expect(q.items()).toEqual([]);

    // Nothing waits: no calls; after stop: no more listening either.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toHaveLength(4);
    stop();
    await q.submit(body('C2'), 'k2').catch(() => {});
    online.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toHaveLength(5);
  });
});

describe('pad storage', () => {
  it('saves, loads and clears the pairing, ignoring junk', () => {
    const storage = fakeStorage();
    expect(loadPad(storage)).toBeNull();
    const pad = { padId: 'p1', padToken: 'pk_x', windowNo: 'W1', windowName: '1号窗口', unitName: '中心' };
    savePad(storage, { ...pad, extra: 1 } as typeof pad);
    expect(JSON.parse(storage.data.get(PAD_STORAGE_KEY)!)).toEqual(pad);
    expect(loadPad(storage)).toEqual(pad);
    clearPad(storage);
    expect(loadPad(storage)).toBeNull();
    storage.data.set(PAD_STORAGE_KEY, '{"padId":1}');
    expect(loadPad(storage)).toBeNull();
    storage.data.set(PAD_STORAGE_KEY, 'nope');
    expect(loadPad(storage)).toBeNull();
  });
});

import { classOf, RATING_LEVELS } from '@hcp/domain';
import { HcpApiError } from '@hcp/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../../i18n/en';
import zhCN from '../../i18n/zh-CN';
import type { Evaluation } from './window-api';
import { type EventSourceLike, isEvaluation, mergeRatings, newerFirst, useWindowFeed } from './window-feed';
import { FLAG_OPTIONS, flagKey, levelClass, levelKey } from './window-vocab';

const rating = (id: string, over: Partial<Evaluation> = {}): Evaluation => ({
  id,
  caseNo: `C-${id}`,
  round: 1,
  level: 5,
  isDefault: false,
  channel: 'window_pad',
  catalogVersion: '2021.1',
  indicators: {},
  reasons: [],
  comment: null,
  itemCode: 'I1',
  unitCode: '310101',
  windowNo: 'W1',
  staffNo: 'S1',
  flags: [],
  createdAt: '2024-05-06T07:08:09.000Z',
  ...over,
});

/** A stand-in for the browser's EventSource that the test drives by hand. */
class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: EventSourceLike['onopen'] = null;
  onerror: EventSourceLike['onerror'] = null;
  closed = false;
  private listeners: ((ev: MessageEvent<string>) => void)[] = [];
  addEventListener(_type: 'evaluation', listener: (ev: MessageEvent<string>) => void): void {
    this.listeners.push(listener);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    (this.onopen as ((ev: Event) => void) | null)?.(new Event('open'));
  }
  fail(readyState: 0 | 2): void {
    this.readyState = readyState;
    (this.onerror as ((ev: Event) => void) | null)?.(new Event('error'));
  }
  emit(data: unknown): void {
    const ev = { data: typeof data === 'string' ? data : JSON.stringify(data) } as MessageEvent<string>;
    for (const l of this.listeners) l(ev);
  }
}

/** A feed whose list calls the test answers by hand, recording every stream it opens. */
function harness() {
  const sources: FakeSource[] = [];
  const calls: {
    windowNo: string;
    signal: AbortSignal;
    resolve(r: Evaluation[]): void;
    reject(e: unknown): void;
  }[] = [];
  const feed = useWindowFeed({
    latest: (windowNo, { signal }) =>
      new Promise((resolve, reject) => {
        calls.push({ windowNo, signal, resolve, reject });
      }),
    openEvents: () => {
      const s = new FakeSource();
      sources.push(s);
      return s;
    },
  });
  return { feed, sources, calls };
}

/** Lets settled promises run their continuations (timers are fake here). */
async function flush() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('mergeRatings', () => {
  it('keeps each rating once, newest (largest id) first, and at most max', () => {
    const merged = mergeRatings([rating('9'), rating('10')], [rating('10', { level: 1 }), rating('100')], 2);
    expect(merged.map((e) => e.id)).toEqual(['100', '10']);
    expect(merged[1]!.level).toBe(1);
    expect([rating('2'), rating('11'), rating('1')].sort(newerFirst).map((e) => e.id)).toEqual([
      '11',
      '2',
      '1',
    ]);
  });

  it('recognises an evaluation payload', () => {
    expect(isEvaluation(rating('1'))).toBe(true);
    expect(isEvaluation({ ...rating('1'), id: 1 })).toBe(false);
    expect(isEvaluation({ ...rating('1'), flags: undefined })).toBe(false);
    expect(isEvaluation(null)).toBe(false);
  });
});

describe('useWindowFeed', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens the stream before listing, then shows live ratings on top, each once', async () => {
    const { feed, sources, calls } = harness();
    feed.start('W1');
    expect(sources).toHaveLength(1);
    expect(calls.map((c) => c.windowNo)).toEqual(['W1']);
    expect(feed.state.value).toBe('connecting');

    sources[0]!.open();
    expect(feed.state.value).toBe('live');
    // A rating stored between opening the stream and the list answer arrives on both.
    sources[0]!.emit(rating('12', { level: 1, reasons: ['R01'] }));
    calls[0]!.resolve([rating('12', { level: 1, reasons: ['R01'] }), rating('11'), rating('7')]);
    await flush();
    expect(feed.loaded.value).toBe(true);
    expect(feed.ratings.value.map((e) => e.id)).toEqual(['12', '11', '7']);

    sources[0]!.emit(rating('13', { level: 2 }));
    sources[0]!.emit(rating('13', { level: 2 }));
    sources[0]!.emit('not json');
    sources[0]!.emit({ hello: 'world' });
    sources[0]!.emit(rating('14', { windowNo: 'OTHER' }));
    expect(feed.ratings.value.map((e) => e.id)).toEqual(['13', '12', '11', '7']);
    expect([...feed.arrived.value]).toEqual(['12', '13']);
    expect(feed.lastArrival.value?.id).toBe('13');
    expect(calls).toHaveLength(1);
  });

  it('says it is reconnecting while the browser retries, and fetches what it missed once back', async () => {
    const { feed, sources, calls } = harness();
    feed.start('W1');
    sources[0]!.open();
    calls[0]!.resolve([rating('5')]);
    await flush();

    sources[0]!.fail(0);
    expect(feed.state.value).toBe('reconnecting');
    expect(sources).toHaveLength(1); // EventSource re-opens itself
    sources[0]!.open();
    expect(feed.state.value).toBe('live');
    expect(calls).toHaveLength(2);
    calls[1]!.resolve([rating('6'), rating('5')]);
    await flush();
    expect(feed.ratings.value.map((e) => e.id)).toEqual(['6', '5']);
  });

  it('re-opens a stream the browser closed, with backoff', async () => {
    const { feed, sources, calls } = harness();
    feed.start('W1');
    calls[0]!.resolve([]);
    await flush();
    sources[0]!.fail(2);
    expect(feed.state.value).toBe('reconnecting');
    expect(sources[0]!.closed).toBe(true);
    vi.advanceTimersByTime(999);
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(2);
    expect(calls).toHaveLength(2);
    sources[1]!.fail(2);
    vi.advanceTimersByTime(1999);
    expect(sources).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(3);
    sources[2]!.open();
    expect(feed.state.value).toBe('live');
  });

  it('stops for good when the server says the window is not the caller’s (404)', async () => {
    const { feed, sources, calls } = harness();
    feed.start('W9');
    sources[0]!.fail(2);
    calls[0]!.reject(new HcpApiError(404, { code: 'NOT_FOUND', message: '窗口 W9 不存在' }));
    await flush();
    expect(feed.state.value).toBe('stopped');
    expect((feed.error.value as HcpApiError).status).toBe(404);
    vi.advanceTimersByTime(60_000);
    expect(sources).toHaveLength(1);
  });

  it('keeps the stream after a transient list failure, and forgets everything on stop', async () => {
    const { feed, sources, calls } = harness();
    feed.start('W1');
    sources[0]!.open();
    calls[0]!.reject(new HcpApiError(503, { code: 'UNAVAILABLE', message: 'busy' }));
    await flush();
    expect(feed.state.value).toBe('live');
    expect(feed.error.value).toBeInstanceOf(HcpApiError);
    sources[0]!.emit(rating('3'));
    expect(feed.ratings.value.map((e) => e.id)).toEqual(['3']);

    feed.stop();
    expect(sources[0]!.closed).toBe(true);
    expect(feed.state.value).toBe('idle');
    sources[0]!.emit(rating('4'));
    expect(feed.ratings.value.map((e) => e.id)).toEqual(['3']);

    feed.start('W2');
    expect(feed.ratings.value).toEqual([]);
    expect(calls.at(-1)!.windowNo).toBe('W2');
  });
});

describe('window vocabulary', () => {
  it('names levels as the domain table does, in Chinese by default, and classes them alike', () => {
    const named = (messages: object, key: string) =>
      key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
    for (const l of RATING_LEVELS) {
      const key = levelKey(l.level)!;
      expect(named(zhCN, key)).toBe(l.nameZh);
      expect(named(en, key)).toBe(l.nameEn);
      expect(levelClass(l.level)).toBe(classOf(l.level));
    }
    expect(levelKey(0)).toBeNull();
    expect(levelKey(6)).toBeNull();
  });

  it('has a label for every abuse flag in both languages', () => {
    expect(FLAG_OPTIONS).toContain('staff_self');
    for (const f of FLAG_OPTIONS) {
      expect(flagKey(f)).toBe(`window.flag.${f}`);
      expect(typeof zhCN.window.flag[f]).toBe('string');
      expect(typeof en.window.flag[f]).toBe('string');
    }
    expect(flagKey('something_new')).toBeNull();
  });
});

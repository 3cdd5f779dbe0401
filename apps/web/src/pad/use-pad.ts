import type { EvaluationInput } from '@hcp/contracts';
import { type EventStreamHandle, HcpApiError, type PadRatingRequest, type StreamStatus } from '@hcp/sdk';
import { onScopeDispose, ref, shallowRef } from 'vue';
import { useApi } from '../api';
import { newIdempotencyKey, type RatingChoice, ratingContent } from '../rating/rating-draft';
import { clearPad, loadPad, type PadStorage, type StoredPad, savePad } from './pad-storage';
import { createRatingQueue, startRetryLoop } from './rating-queue';

/** Screens of the pad: pairing → waiting ⇄ rating → thanks → waiting. */
export type PadScreen = 'pairing' | 'waiting' | 'rating' | 'thanks';

/** How long the thank-you screen stays before the pad is ready for the next applicant. */
export const THANKS_MS = 4000;
/** An unanswered rating screen goes back to waiting after this long without a touch. */
export const RATING_IDLE_MS = 120_000;
/** How often waiting ratings are retried. */
export const RETRY_MS = 10_000;
/** A rating POST that takes longer than this counts as "no answer" and is queued. */
const SEND_TIMEOUT_MS = 15_000;

/** Why the pad is back on the pairing screen, if it was paired before. */
export type UnpairReason = 'revoked' | null;

/**
 * The window pad (评价器): pairing, the live rating-request stream, submitting with an offline queue,
 * and the screen to show. All calls go through the SDK; the pairing and queue live in `storage`.
 */
export function usePad(storage: PadStorage = localStorage) {
  const api = useApi();
  const pad = shallowRef<StoredPad | null>(loadPad(storage));
  const screen = ref<PadScreen>(pad.value ? 'waiting' : 'pairing');
  const connection = ref<StreamStatus>('connecting');
  const request = shallowRef<PadRatingRequest | null>(null);
  /** What the thank-you screen says: thanks, or that this case had been rated already. */
  const outcome = ref<'thanks' | 'already'>('thanks');
  const unpaired = ref<UnpairReason>(null);
  const submitting = ref(false);
  const submitError = shallowRef<unknown>(null);

  const queue = createRatingQueue({
    storage,
    send: (item) =>
      api.evaluations.create(item.body, {
        idempotencyKey: item.key,
        credential: pad.value?.padToken,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      }),
    onDrop: (item, error) => console.warn('queued rating refused by the server', item.body.caseNo, error),
  });
  const pending = ref(queue.items().length);
  queue.subscribe((n) => {
    pending.value = n;
  });
  const stopRetry = startRetryLoop(queue, {
    intervalMs: RETRY_MS,
    onlineTarget: window,
    canFlush: () => pad.value !== null,
  });

  let stream: EventStreamHandle | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function show(next: PadScreen, afterMs?: number): void {
    clearTimeout(timer);
    screen.value = next;
    if (afterMs) timer = setTimeout(() => show('waiting'), afterMs);
  }

  function connect(credential: string): void {
    stream?.close();
    connection.value = 'connecting';
    stream = api.pads.stream({
      credential,
      onRatingRequest: (r) => {
        // A newer case replaces an unanswered one: the applicant in front of the window is the new one.
        request.value = r;
        submitError.value = null;
        show('rating', RATING_IDLE_MS);
      },
      onStatus: (s) => {
        connection.value = s;
        if (s === 'open' && queue.items().length) void queue.flush();
      },
      onFatal: (e) => {
        if (e instanceof HcpApiError && (e.status === 401 || e.status === 403 || e.status === 404)) unpair();
      },
    });
  }

  /** Forgets a pairing the server no longer accepts and goes back to the pairing screen. */
  function unpair(): void {
    stream?.close();
    stream = undefined;
    clearPad(storage);
    pad.value = null;
    request.value = null;
    unpaired.value = 'revoked';
    show('pairing');
  }

  /** Pairs with the 6-digit code; rejects with the API error (404 unknown, 410 expired or used). */
  async function pair(pairingCode: string): Promise<void> {
    const paired = await api.pads.pair({ pairingCode });
    savePad(storage, paired);
    pad.value = paired;
    unpaired.value = null;
    show('waiting');
    connect(paired.padToken);
  }

  /** Submits the applicant's choice for the current request; queues it when the server is unreachable. */
  async function submit(choice: RatingChoice): Promise<void> {
    const r = request.value;
    const p = pad.value;
    if (!r || !p || submitting.value) return;
    const body: EvaluationInput = {
      caseNo: r.caseNo,
      round: r.round,
      ...ratingContent(choice),
      channel: 'window_pad',
      deviceId: p.padId,
    };
    submitting.value = true;
    submitError.value = null;
    try {
      await queue.submit(body, newIdempotencyKey());
      outcome.value = 'thanks';
      request.value = null;
      show('thanks', THANKS_MS);
    } catch (e) {
      if (e instanceof HcpApiError && e.status === 409) {
        outcome.value = 'already';
        request.value = null;
        show('thanks', THANKS_MS);
      } else if (e instanceof HcpApiError && e.status === 401) {
        unpair();
      } else {
        submitError.value = e;
      }
    } finally {
      submitting.value = false;
    }
  }

  /** Keeps the rating screen up while the applicant is using it. */
  function touch(): void {
    if (screen.value === 'rating') show('rating', RATING_IDLE_MS);
  }

  /** Refreshes the names shown (they may have changed) and learns early if the pad was revoked. */
  async function refresh(p: StoredPad): Promise<void> {
    try {
      const me = await api.pads.me({ credential: p.padToken });
      if (pad.value?.padToken !== p.padToken) return;
      const next = { ...p, ...me, padToken: p.padToken };
      savePad(storage, next);
      pad.value = next;
    } catch (e) {
      if (e instanceof HcpApiError && e.status === 401 && pad.value?.padToken === p.padToken) unpair();
      // Anything else (offline, server busy): keep going with what is stored.
    }
  }

  if (pad.value) {
    connect(pad.value.padToken);
    void refresh(pad.value);
  }

  onScopeDispose(() => {
    stream?.close();
    stopRetry();
    clearTimeout(timer);
  });

  return {
    pad,
    screen,
    connection,
    request,
    outcome,
    unpaired,
    pending,
    submitting,
    submitError,
    pair,
    submit,
    touch,
  };
}

import type { EvaluationInput, RatingTokenInfo } from '@hcp/contracts';
import { HcpApiError } from '@hcp/sdk';
import { ref, shallowRef, watch } from 'vue';
import { useApi } from '../api';
import { newIdempotencyKey, type RatingChoice, ratingContent } from '../rating/rating-draft';

/** States of the link page: loading, the form, thanks, or why the link cannot be used. */
export type TokenRatingState = 'loading' | 'form' | 'done' | 'used' | 'already' | 'invalid' | 'error';

/**
 * The state a token look-up or submission failure leads to: 404 invalid link, 410 (or 409 TOKEN_USED)
 * used or expired, 409 ALREADY_RATED rated already on another channel; anything else stays on the form.
 */
export function stateOfError(error: unknown): TokenRatingState {
  if (!(error instanceof HcpApiError)) return 'error';
  if (error.status === 404) return 'invalid';
  if (error.status === 410) return 'used';
  if (error.status === 409) return error.details?.reason === 'ALREADY_RATED' ? 'already' : 'used';
  return 'error';
}

/**
 * Rating by a single-use link (SMS) or window QR code: loads what the token is for and submits the
 * rating with the token as the credential.
 */
export function useTokenRating(token: () => string, channel: () => 'sms' | 'qrcode') {
  const api = useApi();
  const state = ref<TokenRatingState>('loading');
  const info = shallowRef<RatingTokenInfo | null>(null);
  const loadError = shallowRef<unknown>(null);
  const submitError = shallowRef<unknown>(null);
  const submitting = ref(false);
  // The same body is retried with the same key (a lost answer must not become a 409); a changed one is new.
  let last: { json: string; key: string } | undefined;

  async function load(): Promise<void> {
    state.value = 'loading';
    loadError.value = null;
    try {
      info.value = await api.ratingTokens.get(token());
      state.value = 'form';
    } catch (e) {
      loadError.value = e;
      // A token of the wrong shape is refused by validation (400): for the applicant, an invalid link.
      state.value = e instanceof HcpApiError && e.status === 400 ? 'invalid' : stateOfError(e);
    }
  }

  async function submit(choice: RatingChoice): Promise<void> {
    const i = info.value;
    if (!i || submitting.value) return;
    const body: EvaluationInput = {
      caseNo: i.caseNo,
      round: i.round === 2 ? 2 : 1,
      ...ratingContent(choice),
      channel: channel(),
    };
    const json = JSON.stringify(body);
    if (last?.json !== json) last = { json, key: newIdempotencyKey() };
    submitting.value = true;
    submitError.value = null;
    try {
      await api.evaluations.create(body, { credential: token(), idempotencyKey: last.key });
      state.value = 'done';
    } catch (e) {
      const next = stateOfError(e);
      if (next === 'error') submitError.value = e;
      else state.value = next;
    } finally {
      submitting.value = false;
    }
  }

  watch(token, () => void load(), { immediate: true });
  return { state, info, loadError, submitError, submitting, load, submit };
}

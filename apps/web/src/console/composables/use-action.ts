import { HcpApiError } from '@hcp/sdk';
import { computed, reactive, shallowRef } from 'vue';
import { errorText } from '../../shared/error-text';

/** The state of one user action (a form submit, a button): busy, and the error to show if it failed. */
export interface Action {
  readonly busy: boolean;
  /** The message to show (the server's, in the UI language of the request), or null. */
  readonly error: string | null;
  /** The field the server named (`body.username`, `unitCode`…), without its `body.` prefix. */
  readonly field: string | null;
  /** Runs `work`; true when it succeeded, false when it failed (the error is then set). */
  run(work: () => Promise<unknown>): Promise<boolean>;
  reset(): void;
}

/** One action at a time: a second run while one is busy is ignored. */
export function useAction(): Action {
  const busy = shallowRef(false);
  const failure = shallowRef<unknown>(null);
  const error = computed(() => (failure.value === null ? null : errorText(failure.value).message));
  const field = computed(() => {
    const f = failure.value instanceof HcpApiError ? failure.value.details?.field : undefined;
    return typeof f === 'string' ? f.replace(/^body\./, '') : null;
  });

  async function run(work: () => Promise<unknown>): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    failure.value = null;
    try {
      await work();
      return true;
    } catch (e) {
      failure.value = e;
      return false;
    } finally {
      busy.value = false;
    }
  }

  function reset(): void {
    failure.value = null;
  }

  return reactive({ busy, error, field, run, reset }) as Action;
}

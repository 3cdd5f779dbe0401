import { type MaybeRefOrGetter, toValue, watchEffect } from 'vue';
import { i18n } from '../i18n';

/** Keeps document.title as "<page> · 好差评", following the page title and the UI language. */
export function useDocumentTitle(title: MaybeRefOrGetter<string | undefined>): void {
  watchEffect(() => {
    const app = i18n.global.t('app.name');
    const page = toValue(title);
    document.title = page ? `${page} · ${app}` : app;
  });
}

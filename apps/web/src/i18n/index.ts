import { createI18n } from 'vue-i18n';
import en from './en';
import zhCN from './zh-CN';

/** Locales the UI ships; the first is the default. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];

/** Where the chosen locale is remembered between visits. */
export const LOCALE_STORAGE_KEY = 'hcp.locale';

type MessageSchema = typeof zhCN;

declare module 'vue-i18n' {
  // Augmentation must be an interface; it gives t() key completion (keys are checked by messages.test.ts).
  export interface DefineLocaleMessage extends MessageSchema {}
}

/** Whether a string names a shipped locale. */
export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The stored locale if valid, else zh-CN (storage may be unavailable, e.g. in private mode). */
export function initialLocale(
  storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage,
): AppLocale {
  try {
    const stored = storage?.getItem(LOCALE_STORAGE_KEY);
    return isAppLocale(stored) ? stored : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** The app's single i18n instance (Composition API mode). */
export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

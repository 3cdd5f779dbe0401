import en from 'element-plus/es/locale/lang/en';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import { defineStore } from 'pinia';
import { computed, watch } from 'vue';
import { type AppLocale, i18n, LOCALE_STORAGE_KEY } from '../i18n';

const elementLocales = { 'zh-CN': zhCn, en } as const;

/** The UI language: kept in vue-i18n, remembered in localStorage, mirrored to <html lang> and Element Plus. */
export const useLocaleStore = defineStore('locale', () => {
  const locale = computed(() => i18n.global.locale.value);
  const elementLocale = computed(() => elementLocales[locale.value]);

  watch(
    locale,
    (value) => {
      document.documentElement.lang = value;
    },
    { immediate: true },
  );

  /** Switches the language and remembers the choice. */
  function setLocale(value: AppLocale): void {
    i18n.global.locale.value = value;
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, value);
    } catch {
      // Storage can be disabled; the switch still applies to this visit.
    }
  }

  return { locale, elementLocale, setLocale };
});

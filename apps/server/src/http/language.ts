import type { LocalizedText } from '@hcp/domain';

export type Language = 'zh' | 'en';

/**
 * The language of messages for a request: English when the caller's first preference is English,
 * otherwise Chinese, the product's default.
 */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

/** Picks one side of a bilingual text. */
export function say(text: LocalizedText, lang: Language): string {
  return lang === 'en' ? text.en : text.zh;
}

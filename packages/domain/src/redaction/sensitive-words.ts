/** Sensitive-word matching: text that hits the list goes to moderation instead of out (DOMAIN.md §7). */

/** One occurrence of a listed word; `start`/`end` are UTF-16 offsets into the scanned text. */
export interface SensitiveWordHit {
  word: string;
  start: number;
  end: number;
}

// Characters people slip between the characters of a word to dodge a filter (f a k e, 假·冒, 假*冒),
// plus zero-width characters.
const SEPARATOR = /[\s·・•.,_\-*|/\\~'"`。，、\u200B-\u200D\uFEFF]/;
const LATIN = /[a-z0-9]/;

// Full-width ASCII folded to ASCII and Latin lower-cased, one UTF-16 unit in, one out.
function fold(c: string): string {
  const code = c.charCodeAt(0);
  const half = code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : c;
  return half.length === 1 && half >= 'A' && half <= 'Z' ? half.toLowerCase() : half;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  word?: string;
}

/**
 * A matcher over a fixed word list: Latin case-insensitive, full-width folded, separators between
 * characters ignored. A trie walked from each position is plenty for lists of a few thousand words.
 */
export class SensitiveWords {
  private readonly root: TrieNode = { next: new Map() };

  constructor(words: readonly string[]) {
    for (const word of words) {
      const key = word
        .split('')
        .map(fold)
        .filter((c) => !SEPARATOR.test(c));
      if (key.length === 0) continue;
      let node = this.root;
      for (const c of key) {
        let child = node.next.get(c);
        if (!child) {
          child = { next: new Map() };
          node.next.set(c, child);
        }
        node = child;
      }
      node.word ??= word;
    }
  }

  /** Every occurrence of a listed word (overlaps included), ordered by start. */
  find(text: string): SensitiveWordHit[] {
    // The text without separators, remembering where each kept character came from.
    const chars: string[] = [];
    const at: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = fold(text.charAt(i));
      if (SEPARATOR.test(c)) continue;
      chars.push(c);
      at.push(i);
    }
    const hits: SensitiveWordHit[] = [];
    for (let s = 0; s < chars.length; s++) {
      let node: TrieNode | undefined = this.root;
      for (let e = s; e < chars.length && node; e++) {
        node = node.next.get(chars[e] ?? '');
        if (node?.word === undefined) continue;
        const start = at[s] ?? 0;
        const end = (at[e] ?? 0) + 1;
        if (this.plausible(text, start, end)) hits.push({ word: node.word, start, end });
      }
    }
    return hits;
  }

  /**
   * Rejects matches that only exist because separators were dropped between real Latin words
   * ("of a keen" is not "fake"): a spaced-out Latin match must be spelled one character per piece,
   * and a Latin match must not sit inside a longer Latin word.
   */
  private plausible(text: string, start: number, end: number): boolean {
    const span = text.slice(start, end).split('').map(fold);
    if (!span.some((c) => LATIN.test(c))) return true;
    const pieces = span.join('').split(new RegExp(`${SEPARATOR.source}+`));
    if (pieces.length > 1 && pieces.some((p) => p.length > 1)) return false;
    const before = fold(text.charAt(start - 1));
    const after = fold(text.charAt(end));
    return (
      !(LATIN.test(span[0] ?? '') && LATIN.test(before)) &&
      !(LATIN.test(span.at(-1) ?? '') && LATIN.test(after))
    );
  }
}

/** Whether `text` contains any of `words` and so must go to the moderation queue before publication. */
export function needsModeration(text: string, words: readonly string[] | SensitiveWords): boolean {
  const matcher = words instanceof SensitiveWords ? words : new SensitiveWords(words);
  return matcher.find(text).length > 0;
}

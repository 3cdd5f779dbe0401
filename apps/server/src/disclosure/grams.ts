/**
 * Two-character grams for substring search of published text (evaluations.comment_grams, GIN):
 * every substring of two or more characters contains all of its own grams, so
 * `comment_grams @> grams(q)` keeps every row that can contain `q`, whatever the language, and the
 * LIKE that follows removes the rows that only have the grams in another order.
 */

/** The distinct overlapping 2-character grams (code points) of the lower-cased text. */
export function textGrams(text: string): string[] {
  const chars = Array.from(text.toLowerCase());
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}

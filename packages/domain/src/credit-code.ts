/**
 * 统一社会信用代码 (unified social credit code) per GB 32100-2015: 18 characters, the last one a
 * check character over the first 17.
 *
 * The character set is the standard's 31 characters, which leave out I, O, S, V and Z (they are
 * too easily misread as 1, 0, 5, U and 2). DOMAIN.md §4 writes the alphabet as
 * `[0-9A-HJ-NPQ-TV-Z]`, which wrongly admits S and Z and excludes V in a different way; the
 * standard wins, so this module is the single source of truth.
 *
 * Only the character set and the check character are verified. The standard also constrains
 * position 1 (登记管理部门码), position 2 (机构类别码) and positions 3–8 (行政区划码); those tables
 * change over time and real registries already hold codes outside them, so checking them here
 * would reject genuine codes.
 */

/** The GB 32100-2015 code alphabet; a character's index is its numeric value. */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights for positions 1..17: 3^(i-1) mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Why a credit code is invalid, in the order they are checked. */
export type CreditCodeError = 'length' | 'character' | 'check character';

function charValue(ch: string): number {
  return CREDIT_CODE_CHARSET.indexOf(ch);
}

/** Computes the check character (position 18) for the first 17 characters; throws on bad input. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) {
    throw new RangeError(`credit code body must have 17 characters, got ${first17.length}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = charValue(first17.charAt(i));
    if (v < 0) throw new RangeError(`invalid credit code character '${first17.charAt(i)}' at ${i + 1}`);
    sum += v * WEIGHTS[i]!;
  }
  // 31 - 0 would be 31, which has no character: the standard maps it to 0.
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARSET.charAt(check);
}

/**
 * The reason a credit code is invalid, or null when it is valid. Reasons (stable, English):
 * 'length' (not 18 characters), 'character' (outside the GB 32100 alphabet, lower case included),
 * 'check character' (last character does not match the first 17).
 */
export function creditCodeError(code: string): CreditCodeError | null {
  if (code.length !== 18) return 'length';
  for (const ch of code) {
    if (charValue(ch) < 0) return 'character';
  }
  return creditCodeCheckChar(code.slice(0, 17)) === code.charAt(17) ? null : 'check character';
}

/** Whether a string is a well-formed credit code with a correct check character. */
export function isValidCreditCode(code: string): boolean {
  return creditCodeError(code) === null;
}

/** Appends the check character to a 17-character body; throws on bad input. */
export function makeCreditCode(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}

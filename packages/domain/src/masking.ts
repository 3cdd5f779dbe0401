/** Masking of personal data for public display (DOMAIN.md §7: full names are never published). */

/**
 * The public form of a person's name: surrounding space trimmed, the first character kept and every
 * further character replaced by '*' (张三 → 张*, 欧阳娜娜 → 欧***). A one-character name becomes '*'
 * so that it is not published whole; an empty name stays empty. Works on code points, so a
 * character outside the BMP (e.g. 𠀋) counts as one character and is never split in half.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

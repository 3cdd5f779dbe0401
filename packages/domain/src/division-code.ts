/**
 * GB/T 2260 administrative division codes (行政区划代码), extended the way the statistics bureau's
 * 统计用区划代码 does: 6 digits for province / prefecture / county (区县), 9 digits for a street or
 * town (街道/镇/乡, county code + 3), 12 digits for a community or village (居委/村委, street code + 3).
 */

/**
 * Level a division code denotes. A 6-digit code ending in '0000' is a province (310000 上海市),
 * ending in '00' a prefecture (310100 市辖区), otherwise a county-level district (310101 黄浦区).
 */
export type DivisionLevel = 'province' | 'prefecture' | 'county' | 'street' | 'community';

// First two digits: 11 北京 … 82 澳门. Nothing outside that range exists in GB/T 2260.
const PROVINCE_MIN = 11;
const PROVINCE_MAX = 82;

/**
 * Whether a code is a well-formed division code: 6, 9 or 12 digits, a province prefix in 11..82,
 * and, for a 6-digit code, no prefecture part '00' under a non-zero county part (3100 01 is fine,
 * 31 00 01 is not). The 3-digit street and community parts may not be '000', because a code ending
 * in '000' would only restate its parent and make the level ambiguous.
 */
export function isValidDivisionCode(code: string): boolean {
  if (!/^(\d{6}|\d{9}|\d{12})$/.test(code)) return false;
  const province = Number(code.slice(0, 2));
  if (province < PROVINCE_MIN || province > PROVINCE_MAX) return false;
  if (code.slice(2, 4) === '00' && code.slice(4, 6) !== '00') return false;
  if (code.length >= 9 && code.slice(6, 9) === '000') return false;
  if (code.length === 12 && code.slice(9, 12) === '000') return false;
  return true;
}

/** The level a division code denotes, or null when the code is not valid. */
export function divisionLevelOf(code: string): DivisionLevel | null {
  if (!isValidDivisionCode(code)) return null;
  if (code.length === 12) return 'community';
  if (code.length === 9) return 'street';
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'prefecture';
  return 'county';
}

/**
 * The significant prefix of a valid code: trailing zero groups of a province ('0000') or
 * prefecture ('00') code carry no meaning, so 310000 → '31' and 310100 → '3101'.
 */
function significantPrefix(code: string): string {
  const level = divisionLevelOf(code);
  if (level === 'province') return code.slice(0, 2);
  if (level === 'prefecture') return code.slice(0, 4);
  return code;
}

/**
 * Whether `child` lies inside the area of `parent`. Reflexive (a code is within itself), since a
 * department sits in the same division as the government it belongs to. False if either is invalid.
 * Examples: 310101002 within 310101; 310101 within 310000; 310101 not within 310104.
 */
export function isDivisionWithin(child: string, parent: string): boolean {
  if (!isValidDivisionCode(child) || !isValidDivisionCode(parent)) return false;
  return child.startsWith(significantPrefix(parent));
}

/** Checksums behind the redaction rules: a digit run is only masked as an ID or a card when it validates. */

// GB 11643-1999 / ISO 7064 MOD 11-2 weights for the first 17 digits of an 18-digit ID number.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** The check character ('0'–'9' or 'X') for the first 17 digits of an 18-digit ID number. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS.charAt(sum % 11);
}

// No clock in the domain: any real calendar date in 1900–2099 counts as a plausible birth date.
function isBirthDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Whether `id` is a mainland resident ID number: 18 characters with a valid check character
 * (X in either case), or the old 15-digit form (region, yymmdd in the 1900s, sequence); both need
 * a real birth date.
 */
export function isValidIdNumber(id: string): boolean {
  if (/^\d{17}[\dXx]$/.test(id)) {
    const birth = isBirthDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
    return birth && idCheckChar(id) === id.charAt(17).toUpperCase();
  }
  if (/^\d{15}$/.test(id)) {
    return isBirthDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
  }
  return false;
}

/** The Luhn (mod 10) check digit to append to `payload` (digits only). */
export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    // Counting from the right of the payload, every first, third, … digit is doubled.
    let d = Number(payload.charAt(payload.length - 1 - i));
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Whether a string of at least two digits ends in a correct Luhn check digit. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits.charAt(digits.length - 1);
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, otpauthUri, verifyTotp } from './totp';

// RFC 6238 appendix B (SHA-1): the secret is the ASCII "12345678901234567890"; the RFC prints
// 8-digit codes, whose last six digits are the 6-digit codes.
const RFC_SECRET = Buffer.from('12345678901234567890');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
];

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors', () => {
    for (const [t, code8] of VECTORS) expect(hotp(RFC_SECRET, Math.floor(t / 30))).toBe(code8.slice(-6));
    expect(hotp(RFC_SECRET, 0)).toBe('755224'); // RFC 4226 appendix D, count 0
  });

  it('accepts one step of drift, refuses more and refuses malformed codes', () => {
    const at = new Date(1_234_567_890_000);
    const step = Math.floor(1_234_567_890 / 30);
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step), at)).toBe(step);
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step - 1), at)).toBe(step - 1);
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step + 2), at)).toBeNull();
    expect(verifyTotp(RFC_SECRET, '12345', at)).toBeNull();
    expect(verifyTotp(RFC_SECRET, 'abcdef', at)).toBeNull();
  });

  it('round-trips base32 and encodes the RFC secret as apps expect', () => {
    expect(base32Encode(RFC_SECRET)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect([...base32Decode(base32Encode(b))]).toEqual([...b]);
      }),
    );
    expect(() => base32Decode('not-base32!')).toThrow();
  });

  it('builds an otpauth URI', () => {
    expect(otpauthUri('好差评', 'huangpu.admin', 'ABC')).toBe(
      'otpauth://totp/%E5%A5%BD%E5%B7%AE%E8%AF%84%3Ahuangpu.admin?secret=ABC&issuer=%E5%A5%BD%E5%B7%AE%E8%AF%84&algorithm=SHA1&digits=6&period=30',
    );
  });
});

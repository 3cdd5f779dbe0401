import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idCheckChar, luhnCheckDigit } from './checks';
import { redact } from './redact';

const digits = (min: number, max = min) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));

const idNumber = fc
  .tuple(
    fc.integer({ min: 110000, max: 829999 }),
    fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    digits(3),
  )
  .map(([region, birth, seq]) => {
    const first17 = `${region}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${seq}`;
    return first17 + idCheckChar(first17);
  });

const mobile = fc
  .tuple(fc.constantFrom(...'3456789'), digits(1), digits(4), digits(4), fc.constantFrom('', ' ', '-'))
  .chain(([second, third, mid, last, sep]) =>
    fc.constantFrom('', '+86 ', '86').map((cc) => `${cc}1${second}${third}${sep}${mid}${sep}${last}`),
  );

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9._-]{1,10}$/),
    fc.stringMatching(/^[a-z0-9]{1,8}$/),
    fc.constantFrom('com', 'cn', 'org.cn'),
  )
  .map(([local, host, tld]) => `${local}@${host}.${tld}`);

// UnionPay-style 62… numbers, written plain or in groups of four.
const bankCard = fc.tuple(digits(13, 16), fc.boolean()).map(([body, grouped]) => {
  const card = `62${body}${luhnCheckDigit(`62${body}`)}`;
  return grouped ? (card.match(/.{1,4}/g) ?? []).join(' ') : card;
});

// Filler deliberately rich in digits, Latin letters and separators, to provoke false joins.
const filler = fc
  .array(fc.constantFrom(...'办事窗口态度很好差评我在区中心沪京Aabxz0123456789 -·@.，。（）'), {
    maxLength: 30,
  })
  .map((c) => c.join(''));

describe('redact properties', () => {
  it('never lets a generated ID, mobile, email or card through, and keeps the length', () => {
    fc.assert(
      fc.property(filler, fc.oneof(idNumber, mobile, email, bankCard), filler, (pre, secret, post) => {
        const text = `${pre}，${secret}。${post}`;
        const out = redact(text).text;
        expect(out).toHaveLength(text.length);
        expect(out).not.toContain(secret);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent, length-stable and only changes characters inside non-overlapping hits', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(filler, idNumber, mobile, email, bankCard)), (parts) => {
        const text = parts.join('');
        const { text: out, hits } = redact(text);
        expect(out).toHaveLength(text.length);
        expect(redact(out).text).toBe(out);
        let prevEnd = 0;
        for (const h of hits) {
          expect(h.start).toBeGreaterThanOrEqual(prevEnd);
          expect(text.slice(prevEnd, h.start)).toBe(out.slice(prevEnd, h.start));
          prevEnd = h.end;
        }
        expect(text.slice(prevEnd)).toBe(out.slice(prevEnd));
      }),
      { numRuns: 2000 },
    );
  });
});

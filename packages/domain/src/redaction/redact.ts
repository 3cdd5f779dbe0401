/**
 * Automatic redaction of personal data in comments and replies before publication (DOMAIN.md §7).
 * Masks are length-stable (one '*' per hidden UTF-16 unit), so hit offsets stay valid in the output.
 */
import { isLuhnValid, isValidIdNumber } from './checks';

/** What a redaction hit was recognised as. */
export type RedactionKind =
  | 'id_card'
  | 'mobile'
  | 'landline'
  | 'email'
  | 'plate'
  | 'bank_card'
  | 'person_name';

/** One masked span; `start`/`end` are UTF-16 offsets into the original text (end exclusive). */
export interface RedactionHit {
  kind: RedactionKind;
  start: number;
  end: number;
}

/** Names known from the case (the applicant, staff) that must be masked wherever they occur. */
export interface RedactOptions {
  personNames?: readonly string[];
}

/** The publishable text and what was masked in it, ordered by position. */
export interface RedactionResult {
  text: string;
  hits: RedactionHit[];
}

interface Candidate extends RedactionHit {
  masked: string;
}

interface Rule {
  kind: RedactionKind;
  /** Runs on the half-width text; needs the g flag. */
  pattern: RegExp;
  accept?: (m: RegExpExecArray) => boolean;
  /** `orig` and `norm` are the matched slice of the original and of the half-width text. */
  mask: (orig: string, norm: string, m: RegExpExecArray) => string;
}

const ALNUM = /[0-9A-Za-z]/;
const digitCount = (s: string | undefined): number => (s ?? '').replace(/\D/g, '').length;

/**
 * Full-width ASCII (０-９, Ａ-Ｚ, ＠, （, －, …) and the ideographic space mapped to ASCII. Every
 * character maps to exactly one UTF-16 unit, so offsets in the result are offsets in the original.
 */
function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/**
 * Stars every letter/digit of the match except the first `keepHead` and last `keepTail` of them;
 * separators, brackets and '+' stay, and kept characters keep their original (maybe full-width) form.
 */
function starCore(orig: string, norm: string, keepHead: number, keepTail: number): string {
  const total = [...norm].filter((c) => ALNUM.test(c)).length;
  let seen = 0;
  let out = '';
  for (let i = 0; i < orig.length; i++) {
    if (!ALNUM.test(norm.charAt(i))) {
      out += orig.charAt(i);
      continue;
    }
    out += seen < keepHead || seen >= total - keepTail ? orig.charAt(i) : '*';
    seen++;
  }
  return out;
}

// Plain digit boundaries ((?<!\d) … (?!\d)) keep a pattern from firing inside a longer digit run;
// letters may touch a number ("TEL13812345678") because people write it that way.
const RULES: Rule[] = [
  {
    // 18-digit (GB 11643) or old 15-digit resident ID; only numbers that validate are masked.
    kind: 'id_card',
    pattern: /(?<!\d)(?:\d{17}[\dXx]|\d{15})(?!\d)/g,
    accept: (m) => isValidIdNumber(m[0]),
    mask: (orig, norm) => starCore(orig, norm, 1, 1),
  },
  {
    // 138 1234 5678 / 138-1234-5678 / +86 13812345678 → 138****5678; the country code stays visible.
    kind: 'mobile',
    pattern: /(?<!\d)(?<cc>(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g,
    mask: (orig, norm, m) => starCore(orig, norm, digitCount(m.groups?.cc) + 3, 4),
  },
  {
    // (021)62345678 / 021-6234 5678: subscriber numbers start 2–9, which keeps 12345 and 010-1… out.
    // An area code right after "digits + separator" is a middle group of some longer number (a card).
    kind: 'landline',
    pattern: /(?<!\d[ -]?)(?<area>\(0\d{2,3}\)|0\d{2,3})[ -]?[2-9]\d{2,3}[ -]?\d{4}(?!\d)/g,
    mask: (orig, norm, m) => starCore(orig, norm, digitCount(m.groups?.area), 2),
  },
  {
    // The lookbehind makes each local-part run start only once, so long runs stay linear.
    kind: 'email',
    pattern: /(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    mask: (orig) => {
      const at = orig.indexOf('@');
      // A one-character local part would survive "keep the first character" whole.
      return at <= 1 ? '*'.repeat(at) + orig.slice(at) : orig.charAt(0) + '*'.repeat(at - 1) + orig.slice(at);
    },
  },
  {
    // 沪A12345, 沪A·12345, 粤B D12345 (new energy: 6 after the letter) → 沪A·*****.
    kind: 'plate',
    pattern:
      /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z][·・•. -]?(?<tail>[A-Za-z0-9]{5,6})(?![A-Za-z0-9])/g,
    // Real plates carry at most two letters after the issuer letter; this keeps 京Airbus-like words out.
    accept: (m) => digitCount(m.groups?.tail) >= 3,
    mask: (orig, norm) => starCore(orig, norm, 1, 0),
  },
  {
    // 16–19 digits, plain or in groups of four; leading 3–6 or 9 (card schemes incl. UnionPay 62, ICBC 9558),
    // which keeps date-stamped order numbers (2024…) out even when they happen to pass Luhn.
    kind: 'bank_card',
    pattern: /(?<!\d)(?:[3-69]\d{15,18}|[3-69]\d{3}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?)(?!\d)/g,
    accept: (m) => isLuhnValid(m[0].replace(/\D/g, '')),
    mask: (orig, norm) => starCore(orig, norm, 0, 4),
  },
];

// Ties on span (an 18-digit ID that also passes Luhn) go to the rule listed first.
const RANK = new Map<RedactionKind, number>([
  ...RULES.map((r, i) => [r.kind, i] as const),
  ['person_name', 99],
]);

function ruleCandidates(text: string, norm: string): Candidate[] {
  const out: Candidate[] = [];
  for (const rule of RULES) {
    const pattern = new RegExp(rule.pattern);
    // Resume one past each match start, not at its end: a later, longer match may overlap this one
    // (a@b.cn1_@b.cn), and leaving it unconsidered would let a second redaction pass find it.
    for (let m = pattern.exec(norm); m; pattern.lastIndex = m.index + 1, m = pattern.exec(norm)) {
      if (rule.accept && !rule.accept(m)) continue;
      const start = m.index;
      const end = start + m[0].length;
      out.push({ kind: rule.kind, start, end, masked: rule.mask(text.slice(start, end), m[0], m) });
    }
  }
  return out;
}

function nameCandidates(text: string, names: readonly string[]): Candidate[] {
  const out: Candidate[] = [];
  for (const name of new Set(names.map((n) => n.trim()))) {
    // A one-character "name" would star that character in every word that contains it.
    const first = [...name][0];
    if (first === undefined || first.length === name.length) continue;
    const masked = first + '*'.repeat(name.length - first.length);
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
      out.push({ kind: 'person_name', start: at, end: at + name.length, masked });
    }
  }
  return out;
}

/** Longest span first, then earliest, then rule order; a candidate overlapping a kept one is dropped. */
function resolveOverlaps(candidates: Candidate[], textLength: number): Candidate[] {
  const sorted = [...candidates].sort(
    (a, b) =>
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start ||
      (RANK.get(a.kind) ?? 0) - (RANK.get(b.kind) ?? 0),
  );
  const taken = new Uint8Array(textLength);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    if (taken.subarray(c.start, c.end).some((t) => t === 1)) continue;
    taken.fill(1, c.start, c.end);
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function redactOnce(text: string, names: readonly string[]): RedactionResult {
  const chosen = resolveOverlaps(
    [...ruleCandidates(text, toHalfWidth(text)), ...nameCandidates(text, names)],
    text.length,
  );
  let out = '';
  let pos = 0;
  for (const c of chosen) {
    out += text.slice(pos, c.start) + c.masked;
    pos = c.end;
  }
  return { text: out + text.slice(pos), hits: chosen.map(({ kind, start, end }) => ({ kind, start, end })) };
}

/** Adds a hit, folding any hits it overlaps into one span labelled with the longest one's kind. */
function mergeHit(hits: RedactionHit[], hit: RedactionHit): RedactionHit[] {
  const overlapping = hits.filter((h) => h.start < hit.end && hit.start < h.end);
  const all = [...overlapping, hit];
  const longest = all.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  const merged = {
    kind: longest.kind,
    start: Math.min(...all.map((h) => h.start)),
    end: Math.max(...all.map((h) => h.end)),
  };
  return [...hits.filter((h) => !overlapping.includes(h)), merged].sort((a, b) => a.start - b.start);
}

/**
 * Masks ID numbers, mobiles, landlines, emails, plates, bank cards and the given person names;
 * the output has the same length as the input and redacting it again changes nothing.
 */
export function redact(text: string, opts: RedactOptions = {}): RedactionResult {
  const names = opts.personNames ?? [];
  let current = text;
  let hits: RedactionHit[] = [];
  // A candidate dropped for overlapping a longer one can leave a visible remainder that still matches
  // (emails glued together: a@b.cnx_@c.cn), so passes repeat until the text is stable. Each pass that
  // changes the text stars at least one more character, so this ends.
  for (;;) {
    const pass = redactOnce(current, names);
    // The first pass's hits never overlap; merging is only needed for the rare later passes.
    if (hits.length === 0) hits = pass.hits;
    else for (const hit of pass.hits) hits = mergeHit(hits, hit);
    if (pass.text === current) return { text: current, hits };
    current = pass.text;
  }
}

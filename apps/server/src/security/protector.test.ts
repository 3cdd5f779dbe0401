import { describe, expect, it } from 'vitest';
import { createProtector, normalizeCertNo } from './protector';

describe('protector', () => {
  const p = createProtector('s'.repeat(40));
  it('hashes deterministically, per purpose and per secret', () => {
    expect(p.hash('cert', '110101199003077777')).toBe(p.hash('cert', '110101199003077777'));
    expect(p.hash('cert', 'x')).not.toBe(p.hash('phone', 'x'));
    expect(createProtector('t'.repeat(40)).hash('cert', 'x')).not.toBe(p.hash('cert', 'x'));
    expect(p.hash('cert', '110101199003077777')).not.toContain('110101');
  });
  it('encrypts with a fresh IV and decrypts back; tampering is detected', () => {
    const a = p.encrypt('13800138000');
    expect(a).not.toBe(p.encrypt('13800138000'));
    expect(a).not.toContain('13800138000');
    expect(p.decrypt(a)).toBe('13800138000');
    const [v, iv, body, tag] = a.split(':');
    const flipped = Buffer.from(body!, 'base64');
    flipped[0]! ^= 1;
    expect(() => p.decrypt([v, iv, flipped.toString('base64'), tag].join(':'))).toThrow();
    expect(() => createProtector('u'.repeat(40)).decrypt(a)).toThrow();
  });
  it('normalizes certificate numbers', () => {
    expect(normalizeCertNo(' 11010119900307777x ')).toBe('11010119900307777X');
  });
});

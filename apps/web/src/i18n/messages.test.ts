import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './en';
import zhCN from './zh-CN';

const SRC = join(import.meta.dirname, '..');

/** Every source file of the app, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(vue|ts)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The message at a dotted key, or undefined. */
function lookup(messages: object, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
}

describe('i18n messages', () => {
  // Literal keys only: t('a.b'), and label: 'a.b' entries in navigation tables.
  const keys = new Set(
    sources(SRC)
      .filter((f) => !f.endsWith('.test.ts'))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'|label: '([\w.]+)'/g)])
      .map((m) => m[1] ?? m[2]!),
  );

  it('finds the keys used in the sources', () => {
    expect(keys.size).toBeGreaterThan(40);
  });

  it.each([...keys])('has %s in every locale', (key) => {
    expect(typeof lookup(zhCN, key)).toBe('string');
    expect(typeof lookup(en, key)).toBe('string');
  });
});

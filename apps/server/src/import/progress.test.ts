import { describe, expect, it } from 'vitest';
import { Progress } from './progress';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe('Progress', () => {
  it('prints one line per 10% in logs, ending at 100%', () => {
    const { writes, stream } = fakeStream(false);
    const p = new Progress('units', 1000, stream);
    for (let done = 50; done <= 1000; done += 50) p.update(done);
    expect(writes.map((w) => w.trim())).toEqual(
      [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].map((n) => `units: ${n}/1000 (${n / 10}%)`),
    );
  });

  it('redraws one bar in place on a terminal, ending the line when done', () => {
    const { writes, stream } = fakeStream(true);
    const p = new Progress('items', 4, stream);
    p.update(2);
    p.update(4);
    expect(writes[0]).toBe(`\r  items [${'#'.repeat(15)}${'.'.repeat(15)}] 2/4`);
    expect(writes.slice(1)).toEqual([`\r  items [${'#'.repeat(30)}] 4/4`, '\n']);
  });
});

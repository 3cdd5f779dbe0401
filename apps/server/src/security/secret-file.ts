import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded deployment's secret: created once under DATA_DIR (mode 0600) and kept with the data
 * it protects, so hashes stay comparable across restarts. A PostgreSQL deployment must set
 * HCP_SECRET instead (losing it makes stored hashes unmatchable and encrypted fields unreadable).
 */
export function embeddedSecret(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** HCP_ADMIN_KEY of the test server, for calls made as the business system or an administrator. */
    adminKey: string;
  }
}

const MAIN = 'apps/server/dist/main.js';
/** Fixed bootstrap key of the test server (tests only; at least 16 characters). */
const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitReady(url: string, server: ChildProcess, log: () => string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}):\n${log()}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready after 90 s:\n${log()}`);
}

/** Starts the built product on an empty embedded database (so it seeds the demo), as `npm start` does. */
export default async function setup(project: TestProject) {
  if (!existsSync(MAIN) || !existsSync('apps/web/dist/index.html')) {
    throw new Error('build first: npm run build');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'hcp-e2e-'));
  const port = await freePort();
  let output = '';
  const server = spawn(process.execPath, [MAIN, 'start'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      HCP_ADMIN_KEY: ADMIN_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d) => (output += d));
  server.stderr?.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitReady(baseUrl, server, () => output);
  // The README promises that the start command prints where everything is.
  for (const line of [
    `Public portal:  ${baseUrl}/`,
    `Console:        ${baseUrl}/console`,
    `API docs:       ${baseUrl}/api/docs`,
    'Demo data loaded in',
  ]) {
    if (!output.includes(line)) throw new Error(`start did not print "${line}":\n${output}`);
  }
  project.provide('baseUrl', baseUrl);
  project.provide('adminKey', ADMIN_KEY);
  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  };
}

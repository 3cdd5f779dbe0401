// Bundles the server and the workspace packages it uses into apps/server/dist/main.js (npm packages
// stay external and load from node_modules), and copies the SQL migrations beside it.
import { chmodSync, cpSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const out = 'apps/server/dist';
rmSync(out, { recursive: true, force: true });

const externalPackages = {
  name: 'external-packages',
  setup(b) {
    // Bare imports are npm packages, except our own workspace packages, which are bundled from source.
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@hcp/') ? undefined : { path: args.path, external: true },
    );
  },
};

const started = performance.now();
await build({
  entryPoints: ['apps/server/src/main.ts'],
  outfile: `${out}/main.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  sourcemap: true,
  plugins: [externalPackages],
  logLevel: 'warning',
});
cpSync('packages/db/migrations', `${out}/migrations`, { recursive: true });
chmodSync(`${out}/main.js`, 0o755);
console.error(`server built in ${Math.round(performance.now() - started)} ms`);

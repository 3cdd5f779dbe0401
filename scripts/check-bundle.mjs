// Checks the portal's first-load budget: the gzipped JavaScript a visitor's browser fetches to show
// the home page (the entry, everything it imports statically, and the home route's chunk with its own
// static imports) must stay within 250 kB. Reads the Vite build manifest (apps/web/dist/.vite/manifest.json),
// so run `npm run build` (or `npm run build:web`) first.
//
//   node scripts/check-bundle.mjs [--max-kb N] [--dist DIR]
//
// It also fails when the charts (ECharts, zrender) or the console area are part of that first load:
// they must stay behind dynamic imports. Exits 1 on either failure, 2 when the build or the home route
// cannot be found.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

/** Source of the home route's component, as the manifest names modules (relative to apps/web). */
const HOME_PAGE = 'src/portal/pages/HomePage.vue';
/** The feature-area chunk that holds the portal's pages (vite.config.ts names area chunks). */
const HOME_AREA = 'portal';

const { values } = parseArgs({
  options: {
    'max-kb': { type: 'string', default: '250' },
    dist: { type: 'string', default: 'apps/web/dist' },
  },
});
const maxKb = Number(values['max-kb']);
if (!(maxKb > 0)) fail(2, `--max-kb must be a positive number, not ${values['max-kb']}`);

const manifestPath = join(values.dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) fail(2, `${manifestPath} not found: run \`npm run build\` first`);
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
if (!entryKey) fail(2, 'the manifest has no entry chunk');
// The route's component is its own chunk unless it was grouped into its area's chunk; then the area
// chunk is what the router loads for it.
const homeKey =
  HOME_PAGE in manifest
    ? HOME_PAGE
    : manifest[entryKey].dynamicImports?.find((k) => manifest[k].name === HOME_AREA);
if (!homeKey) fail(2, `neither ${HOME_PAGE} nor a '${HOME_AREA}' chunk is in the manifest`);

/** Every chunk key reachable from `keys` through static imports, the start included. */
function staticClosure(keys) {
  const seen = new Set();
  const stack = [...keys];
  while (stack.length) {
    const key = stack.pop();
    if (seen.has(key)) continue;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) stack.push(next);
  }
  return seen;
}

const firstLoad = staticClosure([entryKey, homeKey]);
/** Chunks that must only ever load on demand: chart libraries and the console area. */
const LAZY_ONLY = /node_modules\/(echarts|zrender)\/|^_(echarts|zrender|console)-/;
const eager = [...firstLoad].filter((k) => LAZY_ONLY.test(k) || manifest[k].name === 'console');
if (eager.length) fail(1, `loaded with the home page but meant to be lazy: ${eager.join(', ')}`);

const files = [...firstLoad]
  .map((k) => manifest[k].file)
  .filter((f) => f.endsWith('.js'))
  .sort();
const rows = files.map((file) => {
  const bytes = readFileSync(join(values.dist, file));
  // Level 6 is zlib's default and what servers and CDNs use when compressing on the fly.
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
});
const total = rows.reduce((sum, r) => sum + r.gzip, 0);
const kb = (n) => (n / 1000).toFixed(1);

for (const r of rows) console.log(`${kb(r.gzip).padStart(7)} kB gz  ${kb(r.raw).padStart(7)} kB  ${r.file}`);
const verdict = `portal first load: ${kb(total)} kB of gzipped JavaScript in ${rows.length} files (budget ${maxKb} kB, 1 kB = 1000 bytes)`;
if (total > maxKb * 1000) fail(1, `${verdict}: over budget`);
console.log(`${verdict}: ok`);

function fail(code, message) {
  console.error(`check-bundle: ${message}`);
  process.exit(code);
}

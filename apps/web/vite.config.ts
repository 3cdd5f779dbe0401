import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { ElementPlusResolver, VantResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const NAMED_CHUNKS = ['vue', 'core', 'catalog', 'portal', 'console', 'pad', 'rate', 'rating'];

/**
 * Named chunks: the framework (cached long), the app's shared core (SDK, shared components), and one
 * chunk per feature area. Dependencies are not pulled into a group, so UI-kit and chart modules land in
 * automatic chunks loaded only by the areas that use them, never by the entry.
 */
function chunkGroup(id: string): string | null {
  if (/[\\/]node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/.test(id)) return 'vue';
  if (/[\\/]packages[\\/]sdk[\\/]|[\\/]apps[\\/]web[\\/]src[\\/](shared[\\/]|api\.ts)/.test(id))
    return 'core';
  // An area's routes.ts is imported by the router at start-up, so it must stay out of the lazy chunk.
  if (/[\\/]routes\.ts$/.test(id)) return null;
  const area = /[\\/]apps[\\/]web[\\/]src[\\/]([a-z]+)[\\/]/.exec(id)?.[1];
  return area && NAMED_CHUNKS.includes(area) ? area : null;
}

/** Automatic chunks made only of third-party code are named after their main package. */
function chunkFileName(chunk: { name: string; moduleIds: readonly string[] }): string {
  const packages = chunk.moduleIds.map(
    (id) => /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(id)?.[1],
  );
  if (!NAMED_CHUNKS.includes(chunk.name) && packages.length && packages.every(Boolean)) {
    const main = packages.includes('element-plus') ? 'element-plus' : packages[0]!.replace(/[@\\/]/g, '');
    return `assets/${main}-[hash].js`;
  }
  return 'assets/[name]-[hash].js';
}

/**
 * Vant's component styles all import its icon stylesheet, which inlines the whole icon font (~33 kB
 * gzipped) as a data URI. The rating pages use no Vant icon, so that stylesheet is replaced by an empty
 * one: the phone page opened from an SMS link loads a third less. Drop this plugin when a page starts
 * using <VanIcon> (or a component prop that shows one: `icon`, `clearable`, `left-icon`, …).
 */
const noVantIconFont: Plugin = {
  name: 'hcp-no-vant-icon-font',
  enforce: 'pre',
  resolveId(source, importer) {
    if (importer && /[\\/]vant[\\/]/.test(importer) && /(^|[\\/])icon[\\/]index\.css$/.test(source)) {
      return fileURLToPath(new URL('./src/rating/vant-icon-stub.css', import.meta.url));
    }
    return null;
  },
};

export default defineConfig({
  root,
  base: '/',
  plugins: [
    noVantIconFont,
    vue(),
    Components({
      // Only UI-kit components are auto-imported; our own components are imported explicitly.
      dirs: [],
      // The generated declaration is rewritten unformatted on every build, which fails `biome check`;
      // src/components.d.ts is kept by hand instead (add each newly used UI-kit component there).
      dts: false,
      resolvers: [ElementPlusResolver({ importStyle: 'css' }), VantResolver({ importStyle: 'css' })],
    }),
  ],
  define: {
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // dist/.vite/manifest.json: which chunks a page needs, read by scripts/check-bundle.mjs.
    manifest: true,
    target: 'es2022',
    rolldownOptions: {
      output: {
        chunkFileNames: chunkFileName,
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [{ name: chunkGroup, debugName: 'areas' }],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
});

/**
 * Types for the UI-kit components that unplugin-vue-components imports on demand (see vite.config.ts).
 * Kept by hand: when a template starts using another Element Plus or Vant component, add it here so
 * vue-tsc checks its props.
 */
export {};

declare module 'vue' {
  export interface GlobalComponents {
    ElButton: typeof import('element-plus/es')['ElButton'];
    ElConfigProvider: typeof import('element-plus/es')['ElConfigProvider'];
    ElInput: typeof import('element-plus/es')['ElInput'];
    ElTabPane: typeof import('element-plus/es')['ElTabPane'];
    ElTabs: typeof import('element-plus/es')['ElTabs'];
    RouterLink: typeof import('vue-router')['RouterLink'];
    RouterView: typeof import('vue-router')['RouterView'];
    VanButton: typeof import('vant/es')['Button'];
    VanField: typeof import('vant/es')['Field'];
    VanLoading: typeof import('vant/es')['Loading'];
  }
}

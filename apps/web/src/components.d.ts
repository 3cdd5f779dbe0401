/**
 * Types for the UI-kit components that unplugin-vue-components imports on demand (see vite.config.ts).
 * Kept by hand: when a template starts using another Element Plus or Vant component, add it here so
 * vue-tsc checks its props.
 */
export {};

declare module 'vue' {
  export interface GlobalComponents {
    ElButton: typeof import('element-plus/es')['ElButton'];
    ElCheckbox: typeof import('element-plus/es')['ElCheckbox'];
    ElCheckboxGroup: typeof import('element-plus/es')['ElCheckboxGroup'];
    ElConfigProvider: typeof import('element-plus/es')['ElConfigProvider'];
    ElDialog: typeof import('element-plus/es')['ElDialog'];
    ElInput: typeof import('element-plus/es')['ElInput'];
    ElMenu: typeof import('element-plus/es')['ElMenu'];
    ElMenuItem: typeof import('element-plus/es')['ElMenuItem'];
    ElTabPane: typeof import('element-plus/es')['ElTabPane'];
    ElTabs: typeof import('element-plus/es')['ElTabs'];
    RouterLink: typeof import('vue-router')['RouterLink'];
    RouterView: typeof import('vue-router')['RouterView'];
    VanButton: typeof import('vant/es')['Button'];
    VanField: typeof import('vant/es')['Field'];
    VanLoading: typeof import('vant/es')['Loading'];
  }
}

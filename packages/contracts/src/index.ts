export * from './catalog';
export * from './common';
export * from './intake';

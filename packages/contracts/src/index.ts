export * from './catalog';
export * from './common';
export * from './intake';
export * from './notify';
export * from './public';
export * from './stats';
export * from './tickets';

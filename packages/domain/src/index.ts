export * from './catalog';
export * from './channels';
export * from './credit-code';
export * from './division-code';
export * from './errors';
export * from './levels';
export * from './masking';
export * from './rating-catalog';

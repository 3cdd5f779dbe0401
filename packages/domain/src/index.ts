export * from './access';
export * from './api-keys';
export * from './calendar';
export * from './catalog';
export * from './channels';
export * from './credit-code';
export * from './division-code';
export * from './errors';
export * from './intake';
export * from './levels';
export * from './masking';
export * from './rating-catalog';
export * from './redaction';
export * from './tickets';
// TOTP (node:crypto) is server-only: import it from '@hcp/domain/totp', so browsers never bundle it.

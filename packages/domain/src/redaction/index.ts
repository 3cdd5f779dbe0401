export * from './checks';
export * from './redact';
export * from './sensitive-words';

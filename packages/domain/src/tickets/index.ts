export * from './deadlines';
export * from './transitions';

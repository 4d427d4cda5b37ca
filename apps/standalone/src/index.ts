export * from './system.js';
export * from './processes.js';

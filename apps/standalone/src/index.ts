export * from './chaos/cpu.js';
export * from './processes.js';
export * from './system.js';

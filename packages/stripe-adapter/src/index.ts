export * from './client-options.js';

export * from './form.js';
export { type EmulatorOptions, type RunningEmulator, startEmulator } from './server.js';

export { createUiApp, type UiOptions } from './app.js';
export type { ApiFetch } from './http/api-client.js';

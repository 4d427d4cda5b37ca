export { createUiApp, type UiOptions } from './app.js';
export type { ApiFetch } from './http/api-client.js';
export type { UiSessions } from './http/sessions.js';

export { type ApiInfo, createApiApp } from './app.js';

export { createWebhooksApp } from './app.js';

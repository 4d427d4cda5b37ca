export { SecretBox } from './crypto/secret-box.js';

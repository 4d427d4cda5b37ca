import { describe, expect, it } from 'vitest';
import { verifyHmacSignature, verifyJwtSignature } from '../../test/verify-lago.js';
import { signHmac, WebhookSigningKey } from './sign.js';

describe('WebhookSigningKey', () => {
  it('round-trips through its PEM and signs tokens the public key verifies', () => {
    const { privateKeyPem } = WebhookSigningKey.generate();
    const key = WebhookSigningKey.fromPem(privateKeyPem);
    const body = '{"webhook_type":"invoice.voided"}';
    const token = key.signJwt(body, 'https://api.example');
    expect(verifyJwtSignature(token, key.publicKeyPem, body, 'https://api.example')).toBe(true);
    expect(verifyJwtSignature(token, key.publicKeyPem, body, 'https://other.example')).toBe(false);
    expect(key.publicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');
  });

  it('refuses a key that is not RSA', () => {
    expect(() => WebhookSigningKey.fromPem('not a key')).toThrow();
  });
});

describe('signHmac', () => {
  it('is standard base64 of HMAC-SHA256 over the body', () => {
    // Reference value from `printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac key -binary | base64`.
    expect(signHmac('{"a":1}', 'key')).toBe('iKZ/JLvNrtDmyZdAS7eadDuvRMa6svTCcyjjAJ0i40I=');
    expect(verifyHmacSignature(signHmac('body', 'k'), 'k', 'body')).toBe(true);
  });
});

import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';

/**
 * What a merchant does with Node's crypto alone: check Lago's RS256 JWT against the public key,
 * then that its `data` claim is the raw body.
 */
export function verifyJwtSignature(
  token: string,
  publicKeyPem: string,
  rawBody: string,
  issuer: string,
): boolean {
  const [header, claims, signature] = token.split('.');
  if (header === undefined || claims === undefined || signature === undefined) return false;
  const alg = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg;
  if (alg !== 'RS256') return false;
  const valid = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${claims}`),
    createPublicKey(publicKeyPem),
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) return false;
  const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
  return decoded.data === rawBody && decoded.iss === issuer;
}

export function verifyHmacSignature(signature: string, hmacKey: string, rawBody: string): boolean {
  const expected = createHmac('sha256', hmacKey).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

import { ApiError, authenticationError } from '../errors.js';

const KEY_FORMAT = /^(sk|rk)_test_[A-Za-z0-9_]{1,247}$/;
/** Keys the emulator treats as rejected by Stripe, so callers can exercise that path. */
const REJECTED = /invalid|revoked|expired/i;

export function maskKey(key: string): string {
  const prefix = /^[a-z]{2}_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}****${key.slice(-4)}`;
}

/**
 * Why Stripe would refuse this key whatever the account knows (not a test key, or named as
 * refused), or null when its form is fine.
 */
export function refusedByForm(key: string): string | null {
  if (!KEY_FORMAT.test(key)) return 'it is not a test secret key (sk_test_… or rk_test_…)';
  if (REJECTED.test(key))
    return 'its name contains invalid, revoked or expired, which the emulator always refuses';
  return null;
}

/** Returns the secret key of an `Authorization` header (Bearer, or Basic with the key as user). */
export function authenticate(header: string | undefined): string {
  if (!header)
    throw authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  let key: string;
  if (header.startsWith('Bearer ')) key = header.slice(7).trim();
  else if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    key = decoded.split(':')[0] ?? '';
  } else throw authenticationError('Invalid authorization header. Use Bearer auth with your secret key.');
  if (refusedByForm(key) !== null) throw authenticationError(`Invalid API Key provided: ${maskKey(key)}`);
  return key;
}

/**
 * A restricted key (`rk_test_…`) authenticates, but the emulator grants it no permission at all, so
 * every API request with it gets Stripe's 403 permission error: the path for a key whose rights
 * were narrowed after it was connected.
 */
export function assertPermitted(key: string, method: string, path: string): void {
  if (!key.startsWith('rk_test_')) return;
  const resource = path.split('/')[2] ?? '';
  throw new ApiError(403, {
    type: 'invalid_request_error',
    message: `The provided key '${maskKey(key)}' does not have the required permissions for this endpoint on account 'acct_emulator'. Having the 'rak_${resource}_${method === 'GET' ? 'read' : 'write'}' permission would allow this request to continue.`,
  });
}

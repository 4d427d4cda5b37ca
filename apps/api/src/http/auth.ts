import { unauthorized } from '@payrail/lago-wire';
import { createMiddleware } from 'hono/factory';
import type { ApiKeyAuthenticator } from '../ports/api-keys.js';
import { ApiError } from './api-error.js';
import type { ApiEnv } from './types.js';

/** Lago reads the token as the second word of the header (`Bearer <key>`). */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, token, ...rest] = header.trim().split(/\s+/);
  if (rest.length > 0 || !token || scheme?.toLowerCase() !== 'bearer') return null;
  return token.length <= 512 ? token : null;
}

export function requireApiKey(authenticator: ApiKeyAuthenticator) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    const organization = token ? await authenticator.authenticate(token) : null;
    if (!organization) throw new ApiError(unauthorized());
    c.set('organizationId', organization.id);
    c.set('organization', organization);
    await next();
  });
}

import { badRequest, internalError, type LagoErrorBody, notFoundBody } from '@payrail/lago-wire';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { JsonLogger } from '../logging.js';
import { ApiError } from './api-error.js';
import type { ApiEnv } from './types.js';

function respond(c: Context<ApiEnv>, body: LagoErrorBody): Response {
  return c.json(body, body.status);
}

/**
 * The one place a thrown error becomes a response. Expected refusals carry their Lago body;
 * anything else is a defect: logged with the request id (never headers or bodies) and a 500.
 */
export function onError(logger: JsonLogger) {
  return (error: Error, c: Context<ApiEnv>): Response => {
    if (error instanceof ApiError) return respond(c, error.body);
    if (error instanceof HTTPException && error.status < 500) {
      return respond(
        c,
        error.status === 404 ? notFoundBody('resource_not_found') : badRequest(error.message),
      );
    }
    const requestId = c.get('requestId') ?? 'unknown';
    logger.error('unhandled error', {
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      error: { name: error.name, message: error.message, stack: error.stack },
    });
    return respond(c, internalError(requestId));
  };
}

export function notFoundRoute(c: Context<ApiEnv>): Response {
  return respond(c, notFoundBody('resource_not_found'));
}

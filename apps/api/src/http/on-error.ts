import { badRequest, internalError, type LagoErrorBody, notFoundBody } from '@payrail/lago-wire';
import type { JsonLogger } from '@payrail/persistence';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from './api-error.js';
import type { ApiEnv } from './types.js';

const SQL_PREFIX = /^\s*(select|insert|update|delete|with)\s/i;

/**
 * Database errors quote the whole statement with its parameters (customer names, emails); only
 * the database's own words after the last ` - ` are worth a log line.
 */
export function describeError(error: Error): { name: string; message: string; stack: string | undefined } {
  const message = SQL_PREFIX.test(error.message)
    ? error.message.split(' - ').slice(1).join(' - ') || 'database error'
    : error.message;
  const frames = error.stack?.split('\n').filter((line) => line.trimStart().startsWith('at '));
  return { name: error.name, message, stack: frames?.slice(0, 15).join('\n') };
}

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
      error: describeError(error),
    });
    return respond(c, internalError(requestId));
  };
}

export function notFoundRoute(c: Context<ApiEnv>): Response {
  return respond(c, notFoundBody('resource_not_found'));
}

import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';
import { SafeBigIntType } from '../types/safe-bigint.js';

/** Primary key: a UUID chosen by the application (the domain's id), generated when absent. */
export const uuidPk = () =>
  p
    .uuid()
    .primary()
    .onCreate(() => randomUUID());

/** Money: integer minor units in a bigint column, a safe integer in JS. */
export const amount = () => p.bigint('number').type(SafeBigIntType);

export const currency = () => p.string().length(3);

export const createdAt = () => p.datetime().onCreate(() => new Date());

export const updatedAt = () =>
  p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date());

/**
 * Optimistic lock. Repositories update with `WHERE id = ? AND version = <version read>` and store
 * version + 1, so of two writers that read the same version exactly one wins. It is a plain
 * column rather than MikroORM's `version()` because updates are single compare-and-set statements.
 */
export const version = () => p.integer();

import { type DomainError, invalidField, type ValidationCode } from '../../errors.js';
import { err, type Result } from '../../result.js';

export function checkRequired(
  value: string | null | undefined,
  field: string,
): Result<string, DomainError> | null {
  if (value === null || value === undefined || value.trim() === '')
    return err(invalidField(field, 'value_is_mandatory'));
  return null;
}

export function fieldError(field: string, code: ValidationCode): Result<never, DomainError> {
  return err(invalidField(field, code));
}

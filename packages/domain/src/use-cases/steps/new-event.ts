import { type EventCatalog, type EventType, makeEvent, type OutgoingEventOf } from '../../events.js';
import type { Id } from '../../model/common.js';
import type { UseCaseContext } from './use-case-context.js';

export function newEvent<K extends EventType>(
  ctx: UseCaseContext,
  organizationId: Id,
  type: K,
  data: EventCatalog[K]['data'],
): OutgoingEventOf<K> {
  return makeEvent(type, { id: ctx.ids.next('event'), organizationId, occurredAt: ctx.clock.now() }, data);
}

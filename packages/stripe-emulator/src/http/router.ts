/** Matches `METHOD /v1/a/:id/b` patterns; route lookup stays a cheap segment comparison. */
import type { Ctx, Reply } from '../context.js';
import { safeDecode } from './respond.js';

export type Handler = (ctx: Ctx, ...ids: string[]) => Reply;

interface Route {
  segments: string[];
  handler: Handler;
}

export class Router {
  private readonly routes = new Map<string, Route[]>();

  add(method: string, pattern: string, handler: Handler): this {
    const segments = pattern.split('/').filter(Boolean);
    const key = `${method} ${segments.length}`;
    const list = this.routes.get(key) ?? [];
    list.push({ segments, handler });
    this.routes.set(key, list);
    return this;
  }

  match(method: string, path: string): { handler: Handler; ids: string[] } | undefined {
    const parts = path.split('/').filter(Boolean);
    const candidates = this.routes.get(`${method} ${parts.length}`);
    if (!candidates) return undefined;
    outer: for (const route of candidates) {
      const ids: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith(':')) {
          const id = safeDecode(part);
          if (id === null) continue outer;
          ids.push(id);
        } else if (seg !== part) continue outer;
      }
      return { handler: route.handler, ids };
    }
    return undefined;
  }
}

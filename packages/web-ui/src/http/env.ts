import type { View } from '../views/context.js';
import type { ApiClient } from './api-client.js';

/** A parsed form: every field as the list of values the browser sent (checkboxes repeat). */
export type FormFields = ReadonlyMap<string, readonly string[]>;

export interface UiEnv {
  Variables: {
    view: View;
    /** Present on every page behind sign-in. */
    client: ApiClient;
    form: FormFields;
    /** `UiOptions.secureCookies`: set first, read by every cookie written. */
    secureCookies: boolean;
    /** The signed-in browser's session token. */
    sessionToken: string;
    /** Set when a page found the session's API key refused: the session is ended after the page. */
    endSession: boolean;
  };
}

export function field(form: FormFields, name: string): string {
  return (form.get(name)?.[0] ?? '').trim();
}

export function fields(form: FormFields, name: string): string[] {
  return [...(form.get(name) ?? [])];
}

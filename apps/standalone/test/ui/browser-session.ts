export interface PageResult {
  readonly status: number;
  readonly html: string;
  readonly location: string | null;
  readonly setCookies: readonly string[];
}

/**
 * A browser without JavaScript for `app.request()`: keeps cookies, follows nothing by itself,
 * and fills in the CSRF token of the last page it read.
 */
export class FormSession {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(
    private readonly app: { request(input: string, init?: RequestInit): Response | Promise<Response> },
    private readonly origin = 'http://localhost',
  ) {}

  async get(path: string): Promise<PageResult> {
    return this.send(path, { method: 'GET' });
  }

  /** Follows one redirect, as a browser does after Post/Redirect/Get. */
  async follow(result: PageResult): Promise<PageResult> {
    if (!result.location) throw new Error(`expected a redirect, got ${result.status}`);
    return this.get(result.location);
  }

  async post(
    path: string,
    fields: Record<string, string | string[]>,
    options: { csrf?: string | null; origin?: string } = {},
  ) {
    const body = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token !== null) body.append('_csrf', token);
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    return this.send(path, {
      method: 'POST',
      body: body.toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: options.origin ?? this.origin,
      },
    });
  }

  private async send(
    path: string,
    init: { method: string; body?: string; headers?: Record<string, string> },
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const res = await this.app.request(`${this.origin}${path}`, { ...init, headers });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some(
        (a) => /max-age=0/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, html, location: res.headers.get('location'), setCookies };
  }
}

/** Visible text of a page, for assertions that should not depend on markup. */
export function text(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

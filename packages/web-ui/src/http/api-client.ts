/** The UI's only way to read or change anything: Payrail's own REST API, with the signed-in key. */
export type ApiFetch = (request: Request) => Promise<Response>;

/** Lago's error body, loosely: every field the UI may show is optional. */
export interface ApiErrorBody {
  readonly status: number;
  readonly error?: string;
  readonly code?: string;
  readonly message?: string;
  readonly error_details?: Readonly<Record<string, unknown>>;
}

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly data: T }
  | { readonly ok: false; readonly status: number; readonly error: ApiErrorBody };

export type Query = Readonly<Record<string, string | number | undefined>>;

export class ApiClient {
  constructor(
    private readonly fetch: ApiFetch,
    private readonly origin: string,
    private readonly apiKey: string,
  ) {}

  get<T>(path: string, query: Query = {}): Promise<ApiResult<T>> {
    return this.send<T>('GET', path, query);
  }

  post<T>(path: string, body?: unknown): Promise<ApiResult<T>> {
    return this.send<T>('POST', path, {}, body);
  }

  put<T>(path: string, body?: unknown): Promise<ApiResult<T>> {
    return this.send<T>('PUT', path, {}, body);
  }

  delete<T>(path: string): Promise<ApiResult<T>> {
    return this.send<T>('DELETE', path, {});
  }

  private async send<T>(method: string, path: string, query: Query, body?: unknown): Promise<ApiResult<T>> {
    const url = new URL(`/api/v1${path}`, this.origin);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept: 'application/json',
    };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await this.fetch(new Request(url, init));
    const text = await response.text();
    const parsed = text ? safeJson(text) : null;
    if (response.ok) return { ok: true, status: response.status, data: parsed as T };
    const error: ApiErrorBody =
      parsed && typeof parsed === 'object'
        ? { status: response.status, ...(parsed as object) }
        : { status: response.status, error: text || response.statusText };
    return { ok: false, status: response.status, error };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: text };
  }
}

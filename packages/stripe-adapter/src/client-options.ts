/** Where the Stripe SDK sends requests: Stripe itself by default, or the emulator. */
export interface StripeEndpoint {
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
}

export const STRIPE_DEFAULT_ENDPOINT: StripeEndpoint = {
  host: 'api.stripe.com',
  port: 443,
  protocol: 'https',
};

/** Parses `STRIPE_API_BASE` (for example `http://127.0.0.1:12111`). Empty means Stripe itself. */
export function parseStripeApiBase(value: string | undefined): StripeEndpoint {
  if (!value) return STRIPE_DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `STRIPE_API_BASE must be a URL such as http://127.0.0.1:12111, got ${JSON.stringify(value)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`STRIPE_API_BASE must use http or https, got ${url.protocol}`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port ? Number(url.port) : protocol === 'http' ? 80 : 443;
  return { host: url.hostname, port, protocol };
}

import type { Child } from 'hono/jsx';
import { CSRF_FIELD } from '../http/csrf.js';
import type { Section, View } from './context.js';
import { STYLES } from './styles.js';

const MENU: readonly { section: Section; label: string; path: string }[] = [
  { section: 'settings', label: 'Settings', path: '/settings/integrations' },
  { section: 'customers', label: 'Customers', path: '/customers' },
  { section: 'invoices', label: 'Invoices', path: '/invoices' },
  { section: 'add-ons', label: 'Add-ons', path: '/add-ons' },
];

export function Document(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Payrail`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

export function CsrfField(props: { view: View }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.view.csrf} />;
}

export function Layout(props: { view: View; title: string; section: Section; children: Child }) {
  const { view } = props;
  return (
    <Document title={props.title}>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <div class="shell">
        <nav class="side" aria-label="Main">
          <p class="brand">Payrail</p>
          <ul>
            {MENU.map((item) => (
              <li>
                <a
                  href={`${view.base}${item.path}`}
                  aria-current={item.section === props.section ? 'page' : undefined}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
          <form method="post" action={`${view.base}/sign-out`}>
            <CsrfField view={view} />
            <button type="submit" class="secondary">
              Sign out
            </button>
          </form>
        </nav>
        <main id="content">
          <FlashMessages view={view} />
          {props.children}
        </main>
      </div>
    </Document>
  );
}

function FlashMessages(props: { view: View }) {
  const { notice, error } = props.view.flash;
  return (
    <>
      {notice ? (
        <div class="alert notice" role="status">
          {notice}
        </div>
      ) : null}
      {error ? (
        <div class="alert error" role="alert">
          {error}
        </div>
      ) : null}
    </>
  );
}

/** The API's refusal, listed above the form that caused it. */
export function ErrorList(props: { title?: string; errors: readonly string[] | undefined }) {
  if (!props.errors || props.errors.length === 0) return null;
  return (
    <div class="alert error" role="alert" id="form-errors">
      <strong>{props.title ?? 'That did not work:'}</strong>
      <ul>
        {props.errors.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
    </div>
  );
}

export function StatusBadge(props: { status: string; label?: string }) {
  return <span class={`badge ${props.status}`}>{props.label ?? props.status}</span>;
}

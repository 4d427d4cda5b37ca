import type { WireStripeConnection as StripeConnection } from '@payrail/lago-wire';
import type { View } from '../views/context.js';
import { formatDateTime } from '../views/format.js';
import { CsrfField, ErrorList, Layout } from '../views/layout.js';

function SettingsTabs(props: { view: View }) {
  return (
    <nav class="tabs" aria-label="Settings">
      <a href={`${props.view.base}/settings/integrations`} aria-current="page">
        Integrations
      </a>
    </nav>
  );
}

export function IntegrationsPage(props: { view: View; stripeCount: number }) {
  const { view } = props;
  return (
    <Layout view={view} title="Integrations" section="settings">
      <h1>Settings</h1>
      <SettingsTabs view={view} />
      <div class="card">
        <h2 style="margin-top:0">
          <a href={`${view.base}/settings/integrations/stripe`}>Stripe</a>
        </h2>
        <p class="muted">
          Collect invoices by card, SEPA, ACH or Bacs Direct Debit.{' '}
          {props.stripeCount === 0
            ? 'Not connected yet.'
            : `${props.stripeCount} connection${props.stripeCount === 1 ? '' : 's'}.`}
        </p>
      </div>
    </Layout>
  );
}

const URL_RULE = 'Must begin with http:// or https://. Leave empty and customers land on Stripe’s own page.';

export function StripeListPage(props: {
  view: View;
  connections: readonly StripeConnection[];
  emulatorUrl: string | undefined;
}) {
  const { view } = props;
  return (
    <Layout view={view} title="Stripe" section="settings">
      <h1>Settings</h1>
      <SettingsTabs view={view} />
      <p class="muted">
        <a href={`${view.base}/settings/integrations`}>Integrations</a> › Stripe
      </p>
      <div class="toolbar">
        <h2 style="margin:0">Stripe connections</h2>
        <a class="button" href={`${view.base}/settings/integrations/stripe/new`}>
          Add a connection
        </a>
      </div>
      {props.connections.length === 0 ? (
        <p class="empty">No Stripe account is connected. Add a connection with your Stripe secret key.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Code</th>
              <th scope="col">Secret key</th>
              <th scope="col">Success redirect URL</th>
              <th scope="col">Connected</th>
              <th scope="col">
                <span class="vh">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.connections.map((conn) => (
              <tr>
                <td>{conn.name}</td>
                <td>
                  <code>{conn.code}</code>
                </td>
                <td>
                  <code>{conn.secret_key}</code>
                </td>
                <td>{conn.success_redirect_url ?? <span class="muted">Stripe’s page</span>}</td>
                <td>{formatDateTime(conn.created_at)}</td>
                <td>
                  <a href={`${view.base}/settings/integrations/stripe/${encodeURIComponent(conn.lago_id)}`}>
                    Edit<span class="vh"> {conn.name}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.emulatorUrl ? (
        <p class="muted">
          Development: Stripe calls go to the emulator at <code>{props.emulatorUrl}</code>; any key like{' '}
          <code>sk_test_…</code> works, and one containing “invalid” is rejected.
        </p>
      ) : null}
    </Layout>
  );
}

export interface ConnectionDraft {
  readonly name: string;
  readonly code: string;
  readonly success_redirect_url: string;
}

export function NewStripePage(props: { view: View; draft?: ConnectionDraft; errors?: readonly string[] }) {
  const { view } = props;
  const d = props.draft ?? { name: '', code: '', success_redirect_url: '' };
  return (
    <Layout view={view} title="Add a Stripe connection" section="settings">
      <h1>Add a Stripe connection</h1>
      <ErrorList title="Stripe connection failed:" errors={props.errors} />
      <form method="post" action={`${view.base}/settings/integrations/stripe`} class="card">
        <CsrfField view={view} />
        <label for="name">Name</label>
        <input id="name" name="name" type="text" value={d.name} required maxlength={255} />
        <label for="code">
          Code<span class="hint">Used by the API as payment_provider_code, e.g. stripe_prod.</span>
        </label>
        <input id="code" name="code" type="text" value={d.code} required maxlength={255} />
        <label for="secret_key">
          Stripe secret API key
          <span class="hint">Starts with sk_. Stored encrypted and never shown again.</span>
        </label>
        <input
          id="secret_key"
          name="secret_key"
          type="password"
          autocomplete="off"
          required
          maxlength={512}
        />
        <label for="success_redirect_url">
          Success redirect URL (optional)
          <span class="hint" id="url-rule">
            {URL_RULE}
          </span>
        </label>
        <input
          id="success_redirect_url"
          name="success_redirect_url"
          type="text"
          inputmode="url"
          value={d.success_redirect_url}
          aria-describedby="url-rule"
        />
        <div class="actions">
          <button type="submit">Connect to Stripe</button>
          <a href={`${view.base}/settings/integrations/stripe`}>Cancel</a>
        </div>
      </form>
    </Layout>
  );
}

export function EditStripePage(props: {
  view: View;
  connection: StripeConnection;
  draft?: ConnectionDraft;
  errors?: readonly string[];
}) {
  const { view, connection } = props;
  const d = props.draft ?? {
    name: connection.name,
    code: connection.code,
    success_redirect_url: connection.success_redirect_url ?? '',
  };
  const action = `${view.base}/settings/integrations/stripe/${encodeURIComponent(connection.lago_id)}`;
  return (
    <Layout view={view} title={`Stripe: ${connection.name}`} section="settings">
      <h1>Stripe connection “{connection.name}”</h1>
      <ErrorList errors={props.errors} />
      <form method="post" action={action} class="card">
        <CsrfField view={view} />
        <label for="name">Name</label>
        <input id="name" name="name" type="text" value={d.name} required maxlength={255} />
        <label for="code">Code</label>
        <input id="code" name="code" type="text" value={d.code} required maxlength={255} />
        <p>
          Secret key: <code>{connection.secret_key}</code>{' '}
          <span class="muted">(to use another key, add a new connection)</span>
        </p>
        <label for="success_redirect_url">
          Success redirect URL
          <span class="hint" id="url-rule">
            {URL_RULE} Changes apply to new checkout links only.
          </span>
        </label>
        <input
          id="success_redirect_url"
          name="success_redirect_url"
          type="text"
          inputmode="url"
          value={d.success_redirect_url}
          aria-describedby="url-rule"
        />
        <div class="actions">
          <button type="submit">Save</button>
          {connection.success_redirect_url ? (
            <button type="submit" class="secondary" name="remove_redirect_url" value="1">
              Delete the redirect URL
            </button>
          ) : null}
          <a href={`${view.base}/settings/integrations/stripe`}>Back</a>
        </div>
      </form>
      <form method="post" action={`${action}/delete`} class="card">
        <CsrfField view={view} />
        <h2 style="margin-top:0">Delete this connection</h2>
        <label class="check" for="confirm">
          <input id="confirm" name="confirm" type="checkbox" value="1" required />
          <span>I understand that customers linked through this connection are unlinked from Stripe.</span>
        </label>
        <button type="submit" class="danger">
          Delete connection
        </button>
      </form>
    </Layout>
  );
}

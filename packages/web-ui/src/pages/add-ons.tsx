import type { LagoAddOn as AddOn } from '@payrail/lago-wire';
import type { View } from '../views/context.js';
import { formatMoney } from '../views/format.js';
import { CsrfField, ErrorList, Layout } from '../views/layout.js';
import { CURRENCIES } from './customer-form.js';

export interface AddOnDraft {
  readonly name: string;
  readonly code: string;
  readonly amount: string;
  readonly currency: string;
}

export function AddOnsPage(props: {
  view: View;
  addOns: readonly AddOn[];
  draft?: AddOnDraft;
  errors?: readonly string[];
}) {
  const { view } = props;
  const d = props.draft ?? { name: '', code: '', amount: '', currency: 'EUR' };
  return (
    <Layout view={view} title="Add-ons" section="add-ons">
      <h1>Add-ons</h1>
      <p class="muted">The catalogue items one-off invoices are made of.</p>
      {props.addOns.length === 0 ? (
        <p class="empty">No add-ons yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Code</th>
              <th scope="col" class="num">
                Price
              </th>
            </tr>
          </thead>
          <tbody>
            {props.addOns.map((a) => (
              <tr>
                <td>{a.name}</td>
                <td>
                  <code>{a.code}</code>
                </td>
                <td class="num">{formatMoney(a.amount_cents, a.amount_currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>New add-on</h2>
      <ErrorList title="The add-on was not created:" errors={props.errors} />
      <form method="post" action={`${view.base}/add-ons`} class="card">
        <CsrfField view={view} />
        <label for="name">Name</label>
        <input id="name" name="name" type="text" value={d.name} required maxlength={255} />
        <label for="code">Code</label>
        <input id="code" name="code" type="text" value={d.code} required maxlength={255} />
        <label for="amount">
          Price<span class="hint">In the currency’s main unit, e.g. 49.90</span>
        </label>
        <input id="amount" name="amount" type="text" inputmode="decimal" value={d.amount} required />
        <label for="currency">Currency</label>
        <select id="currency" name="currency">
          {CURRENCIES.map((cur) => (
            <option value={cur} selected={d.currency === cur}>
              {cur}
            </option>
          ))}
        </select>
        <div class="actions">
          <button type="submit">Create add-on</button>
        </div>
      </form>
    </Layout>
  );
}

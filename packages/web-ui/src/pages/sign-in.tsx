import type { View } from '../views/context.js';
import { CsrfField, Document, ErrorList } from '../views/layout.js';

export function SignInPage(props: { view: View; errors?: readonly string[] }) {
  const { view } = props;
  return (
    <Document title="Sign in">
      <main class="signin" id="content">
        <h1>Sign in to Payrail</h1>
        {view.flash.notice ? (
          <div class="alert notice" role="status">
            {view.flash.notice}
          </div>
        ) : null}
        {view.flash.error ? (
          <div class="alert error" role="alert">
            {view.flash.error}
          </div>
        ) : null}
        <ErrorList title="Could not sign in:" errors={props.errors} />
        <form method="post" action={`${view.base}/sign-in`}>
          <CsrfField view={view} />
          <label for="api_key">
            Organization API key
            <span class="hint">The same key your billing system uses for Payrail’s REST API.</span>
          </label>
          <input id="api_key" name="api_key" type="password" autocomplete="off" required autofocus />
          <div class="actions">
            <button type="submit">Sign in</button>
          </div>
        </form>
      </main>
    </Document>
  );
}

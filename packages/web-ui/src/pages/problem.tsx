import type { View } from '../views/context.js';
import { Document } from '../views/layout.js';

export function ProblemPage(props: { view: View; title: string }) {
  return (
    <Document title={props.title}>
      <main class="signin">
        <h1>{props.title}</h1>
        <p>
          <a href={`${props.view.base}/`}>Back to Payrail</a>
        </p>
      </main>
    </Document>
  );
}

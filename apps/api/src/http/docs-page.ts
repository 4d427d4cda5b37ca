/**
 * A self-contained interactive reference: it reads `/api/v1/openapi.json` and lets the reader
 * send requests with their API key. No external script, so it works offline and under a strict CSP.
 */
export function docsPage(specUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Payrail API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2433;background:#f7f8fa}
header{background:#1d2433;color:#fff;padding:16px 24px}header input{width:360px;padding:6px;margin-left:8px}
main{max-width:980px;margin:0 auto;padding:16px}h2{margin-top:32px;border-bottom:1px solid #d5d9e0}
details{background:#fff;border:1px solid #d5d9e0;border-radius:6px;margin:8px 0;padding:8px 12px}
summary{cursor:pointer;font-family:ui-monospace,monospace}.m{display:inline-block;width:64px;font-weight:700}
.get{color:#0a7}.post{color:#06c}.put{color:#b70}.delete{color:#c22}
pre{background:#f0f2f5;padding:8px;overflow:auto;font-size:13px}textarea{width:100%;height:120px;font-family:ui-monospace,monospace}
label{display:block;margin:4px 0}label input{margin-left:6px}button{padding:6px 14px;margin-top:6px}
</style></head>
<body><header><strong>Payrail API reference</strong> (Lago REST API v1)
<label style="display:inline">API key<input id="key" type="password" autocomplete="off" placeholder="Bearer key"></label></header>
<main id="root">Loading…</main>
<script>
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
const root = document.getElementById('root');
function schemaOf(spec, s) { return s && s.$ref ? spec.components.schemas[s.$ref.split('/').pop()] : s; }
function operation(spec, path, method, op, i) {
  const params = (op.parameters || []).map((p) => p.in === 'path'
    ? '<label>' + esc(p.name) + '<input data-path="' + esc(p.name) + '"></label>' : '').join('');
  const body = op.requestBody ? '<label>Body</label><textarea data-body>' +
    esc(JSON.stringify(example(spec, schemaOf(spec, op.requestBody.content['application/json'].schema)), null, 2)) + '</textarea>' : '';
  const responses = Object.entries(op.responses || {}).map(([s, r]) => '<li><b>' + esc(s) + '</b> ' + esc(r.description || '') + '</li>').join('');
  return '<details><summary><span class="m ' + method + '">' + method.toUpperCase() + '</span>' + esc(path) +
    ' — ' + esc(op.summary || '') + '</summary><p>' + esc(op.description || '') + '</p>' + params +
    '<label>Query string<input data-query placeholder="page=1&per_page=20"></label>' + body +
    '<button data-send="' + i + '">Send</button><ul>' + responses + '</ul><pre data-out></pre></details>';
}
function example(spec, s, depth = 0) {
  s = schemaOf(spec, s); if (!s || depth > 4) return null;
  if (s.example !== undefined) return s.example;
  if (s.type === 'object' || s.properties) { const o = {}; for (const [k, v] of Object.entries(s.properties || {})) o[k] = example(spec, v, depth + 1); return o; }
  if (s.type === 'array') return [example(spec, s.items, depth + 1)];
  if (s.enum) return s.enum[0];
  if (s.anyOf || s.oneOf) return example(spec, (s.anyOf || s.oneOf)[0], depth + 1);
  return s.type === 'integer' || s.type === 'number' ? 0 : s.type === 'boolean' ? false : '';
}
fetch(${JSON.stringify(specUrl)}).then((r) => r.json()).then((spec) => {
  const base = (spec.servers && spec.servers[0] && spec.servers[0].url) || '';
  const ops = []; const byTag = {};
  for (const [path, item] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(item)) {
    ops.push({ path, method, op }); const tag = (op.tags && op.tags[0]) || 'Other'; (byTag[tag] = byTag[tag] || []).push(ops.length - 1);
  }
  root.innerHTML = '<p>' + esc(spec.info.description || '') + '</p>' + Object.entries(byTag).map(([tag, ids]) =>
    '<h2>' + esc(tag) + '</h2>' + ids.map((i) => operation(spec, ops[i].path, ops[i].method, ops[i].op, i)).join('')).join('');
  root.addEventListener('click', async (e) => {
    const i = e.target.getAttribute && e.target.getAttribute('data-send'); if (i === null) return;
    const box = e.target.closest('details'); const { path, method } = ops[Number(i)];
    let url = base + path.replace(/\\{([^}]+)\\}/g, (_, n) => encodeURIComponent(box.querySelector('[data-path="' + n + '"]').value));
    const q = box.querySelector('[data-query]').value; if (q) url += '?' + q;
    const bodyEl = box.querySelector('[data-body]'); const headers = { Authorization: 'Bearer ' + document.getElementById('key').value };
    if (bodyEl) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, { method: method.toUpperCase(), headers, body: bodyEl ? bodyEl.value : undefined });
    const text = await res.text(); let shown = text; try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
    box.querySelector('[data-out]').textContent = res.status + ' ' + res.statusText + '\\n' + shown;
  });
}).catch((e) => { root.textContent = 'Could not load the OpenAPI document: ' + e; });
</script></body></html>`;
}

/** The whole stylesheet, inline: the UI loads nothing from any network. */
export const STYLES = `
:root{--ink:#1a1f36;--muted:#5c6478;--line:#e3e8ee;--bg:#f6f8fa;--accent:#4f46e5;--accent-ink:#fff;
--ok:#0f7b3f;--ok-bg:#e6f6ec;--warn:#8a5300;--warn-bg:#fff4e0;--bad:#b42318;--bad-bg:#fdecea}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:9}
.shell{display:flex;min-height:100vh}
nav.side{width:14rem;flex:none;background:#fff;border-right:1px solid var(--line);padding:1.25rem 1rem}
nav.side .brand{font-weight:700;font-size:1.1rem;margin:0 0 1.5rem .5rem}
nav.side ul{list-style:none;margin:0;padding:0}
nav.side a{display:block;padding:.45rem .6rem;border-radius:6px;color:var(--ink);text-decoration:none}
nav.side a:hover{background:var(--bg)}
nav.side a[aria-current="page"]{background:#eef2ff;color:var(--accent);font-weight:600}
nav.side form{margin-top:2rem}
main{flex:1;padding:2rem 2.5rem;max-width:72rem}
h1{font-size:1.5rem;margin:0 0 1rem}
h2{font-size:1.15rem;margin:1.75rem 0 .75rem}
.tabs{display:flex;gap:.25rem;border-bottom:1px solid var(--line);margin-bottom:1.25rem}
.tabs a{padding:.5rem .9rem;text-decoration:none;color:var(--muted);border-bottom:2px solid transparent}
.tabs a[aria-current="page"]{color:var(--accent);border-color:var(--accent);font-weight:600}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1.25rem 1.5rem;margin-bottom:1.25rem}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line);border-radius:10px;overflow:hidden}
th,td{text-align:left;padding:.6rem .8rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);background:#fafbfc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr:last-child td{border-bottom:0}
label{display:block;font-weight:600;margin:.9rem 0 .3rem}
.hint{display:block;font-weight:400;color:var(--muted);font-size:.85rem;margin-top:.2rem}
input[type=text],input[type=url],input[type=password],input[type=email],input[type=number],select{
width:100%;max-width:32rem;padding:.5rem .6rem;border:1px solid #c9d1db;border-radius:6px;font:inherit;background:#fff}
fieldset{border:1px solid var(--line);border-radius:8px;padding:.5rem 1rem 1rem;margin:1rem 0;max-width:40rem}
legend{font-weight:600;padding:0 .3rem}
.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400;margin:.5rem 0}
.check input{margin-top:.3rem}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.5rem 1rem;border-radius:6px;border:1px solid var(--accent);
background:var(--accent);color:var(--accent-ink);cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.danger{background:#fff;color:var(--bad);border-color:#e5a29b}
button:disabled{background:#eef0f3;color:#8a94a6;border-color:#d5dae1;cursor:not-allowed}
button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;gap:.75rem 1rem;margin-top:1.25rem;align-items:flex-start}
.action{display:flex;flex-direction:column;align-items:flex-start;gap:.3rem;max-width:16rem}
.reason{font-size:.82rem;color:var(--muted)}
.inline{display:inline}
.alert{padding:.75rem 1rem;border-radius:8px;margin:0 0 1rem;border:1px solid}
.alert ul{margin:.25rem 0 0;padding-left:1.25rem}
.alert.error{background:var(--bad-bg);border-color:#f5c2c0;color:var(--bad)}
.alert.notice{background:var(--ok-bg);border-color:#b7e4c7;color:var(--ok)}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;background:#eef0f3;color:var(--muted)}
.badge.succeeded{background:var(--ok-bg);color:var(--ok)}
.badge.failed,.badge.lost{background:var(--bad-bg);color:var(--bad)}
.badge.pending,.badge.processing{background:var(--warn-bg);color:var(--warn)}
.badge.voided{background:#eef0f3;color:#5c6478}
dl.facts{display:grid;grid-template-columns:12rem 1fr;gap:.4rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;word-break:break-all}
.muted{color:var(--muted)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;background:#f1f3f6;padding:.05rem .3rem;border-radius:4px}
.empty{padding:1.5rem;text-align:center;color:var(--muted);background:#fff;border:1px dashed var(--line);border-radius:10px}
.signin{max-width:28rem;margin:10vh auto;background:#fff;border:1px solid var(--line);border-radius:12px;padding:2rem}
.toolbar{display:flex;justify-content:space-between;align-items:center;margin-bottom:1rem}
.toolbar h1{margin:0}
.filters{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:0 0 1rem}
.filters label{margin:0}.filters select{width:auto}
`;

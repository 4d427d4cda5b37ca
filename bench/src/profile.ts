/**
 * `node bench/dist/profile.js [--by package|file|function] [--top N] <file.cpuprofile>...`: where a
 * process spent its busy CPU time (self time of the sampled frames), from the profiles `pnpm bench
 * --profile DIR` writes, by package (the default), by source file or by function. Time in Node's
 * own code and in native calls (socket writes, hashing) is charged to the package, file or
 * function that called it, so "pg" includes sending queries and "@payrail/api" includes writing
 * its log lines; GC stays on its own line.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface Frame {
  readonly url: string;
  readonly functionName: string;
  readonly lineNumber?: number;
}

export type Grouping = 'package' | 'file' | 'function';
interface Node {
  readonly id: number;
  readonly callFrame: Frame;
  readonly children?: readonly number[];
}
export interface Profile {
  readonly nodes: readonly Node[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** `…/node_modules/.pnpm/<dir>/node_modules/<pkg>/…` → `<pkg>`; our own code by workspace folder. */
export function packageOf(frame: Frame): string | null {
  const { url } = frame;
  if (url === '' || url.startsWith('node:')) return null;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const own = /\/(apps|packages|bench)\/([^/]+)\//.exec(url);
  if (own) return own[1] === 'bench' ? 'bench' : `@payrail/${own[2]}`;
  return url;
}

/** A source file, short: `<package>/<path in it>`, or the path from the repository's root. */
function fileOf(frame: Frame): string | null {
  const pkg = packageOf(frame);
  if (pkg === null) return null;
  const { url } = frame;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const own = /\/((?:apps|packages|bench)\/.*)$/.exec(url);
  return own?.[1] ?? url;
}

function keyOf(frame: Frame, by: Grouping): string | null {
  if (by === 'package') return packageOf(frame);
  const file = fileOf(frame);
  if (file === null || by === 'file') return file;
  return `${frame.functionName || '(anonymous)'} ${file}:${(frame.lineNumber ?? 0) + 1}`;
}

export function summarize(
  profile: Profile,
  by: Grouping = 'package',
): { busyMs: number; byPackage: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = owner.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    let name: string;
    if (!node) name = '(root)';
    else if (node.callFrame.functionName === '(garbage collector)') name = 'GC';
    else if (node.callFrame.functionName === '(idle)') name = '(idle)';
    else if (node.callFrame.functionName === '(program)') name = 'V8 (program)';
    else {
      const own = keyOf(node.callFrame, by);
      const up = parent.get(id);
      name = own ?? (up === undefined ? 'node core (event loop)' : ownerOf(up));
      if (name === '(root)') name = 'node core (event loop)';
    }
    owner.set(id, name);
    return name;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = ownerOf(id);
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  // Not the process's work: waiting, and the profiler writing itself out.
  totals.delete('(idle)');
  for (const name of [...totals.keys()])
    if (name === 'bench' || name.startsWith('bench/') || name.includes(' bench/')) totals.delete(name);
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  const byPackage = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  return { busyMs: busy / 1000, byPackage: byPackage.map(([k, v]) => [k, v / busy]) };
}

if (process.argv[1]?.endsWith('profile.js')) {
  const { values, positionals } = parseArgs({
    options: { by: { type: 'string', default: 'package' }, top: { type: 'string', default: '20' } },
    allowPositionals: true,
  });
  const by = values.by as Grouping;
  if (!['package', 'file', 'function'].includes(by)) throw new Error('--by package, file or function');
  for (const file of positionals) {
    const { busyMs, byPackage } = summarize(JSON.parse(await readFile(file, 'utf8')) as Profile, by);
    console.log(`${file}: ${(busyMs / 1000).toFixed(1)} s busy`);
    for (const [name, share] of byPackage.slice(0, Number(values.top))) {
      if (share < 0.005) break;
      console.log(`  ${(share * 100).toFixed(1).padStart(5)}%  ${name}`);
    }
  }
}

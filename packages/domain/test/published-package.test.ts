/**
 * The package as another team gets it: packed with `pnpm pack` from the built `dist/` (run the
 * build first, as for every test that needs `dist/`), installed from the tarball into a throwaway
 * project outside the workspace, and the README's example run there verbatim with node and
 * typechecked against the shipped declarations.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const WORKSPACE_ROOT = join(PACKAGE_DIR, '..', '..');
const TSC = join(WORKSPACE_ROOT, 'node_modules', '.bin', 'tsc');

interface PackResult {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** The README's only `js` block is the example; the `text` block after it is what it prints. */
function readmeBlock(language: 'js' | 'text'): string {
  const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))];
  expect(blocks, `README.md has exactly one \`\`\`${language} block`).toHaveLength(1);
  return blocks[0]![1]!;
}

function run(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the published package', () => {
  let consumer: string;
  let packed: PackResult;

  beforeAll(() => {
    if (!existsSync(join(PACKAGE_DIR, 'dist', 'index.js'))) {
      throw new Error('dist/ is missing: run `pnpm exec turbo run build` first');
    }
    consumer = mkdtempSync(join(tmpdir(), 'domain-consumer-'));
    packed = JSON.parse(run('pnpm', ['pack', '--json', '--pack-destination', consumer], PACKAGE_DIR));
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
    );
    // Offline: the package has no runtime dependencies, so the tarball is all there is to install.
    run(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', resolve(consumer, packed.filename)],
      consumer,
    );
  }, 120_000);

  afterAll(() => {
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it('is installed outside the workspace', () => {
    expect(relative(WORKSPACE_ROOT, consumer).startsWith('..')).toBe(true);
    expect(existsSync(join(consumer, 'node_modules', ...packed.name.split('/'), 'dist', 'index.js'))).toBe(
      true,
    );
  });

  it('ships only the built code, its declarations, the README and the manifest', () => {
    const paths = packed.files.map((file) => file.path);
    for (const path of paths) {
      expect(path).toMatch(/^(package\.json|README\.md|dist\/.+\.(js|d\.ts))$/);
      expect(path).not.toMatch(/\.test\./);
    }
    expect(paths).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/testing/index.js',
        'dist/testing/index.d.ts',
      ]),
    );
  });

  it('declares a public, versioned manifest with no runtime dependencies', () => {
    const manifest = JSON.parse(
      readFileSync(join(consumer, 'node_modules', ...packed.name.split('/'), 'package.json'), 'utf8'),
    );
    expect(manifest.private).toBeUndefined();
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.exports)).toEqual(['.', './testing', './package.json']);
  });

  it("runs the README's example and prints what the README says", () => {
    writeFileSync(join(consumer, 'example.mjs'), readmeBlock('js'));
    const output = run(process.execPath, ['example.mjs'], consumer);
    expect(output).toBe(readmeBlock('text'));
    expect(output).toContain('payment succeeded');
    expect(output).toContain('charges made: 1');
  });

  it("typechecks the README's example against the shipped declarations", () => {
    writeFileSync(join(consumer, 'example.mjs'), readmeBlock('js'));
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          // No Node types: the declarations must stand on their own (DOM only declares `console`).
          lib: ['es2023', 'dom'],
          types: [],
          strict: true,
          allowJs: true,
          checkJs: true,
          noEmit: true,
        },
        files: ['example.mjs'],
      }),
    );
    let diagnostics = '';
    try {
      run(TSC, ['-p', 'tsconfig.json'], consumer);
    } catch (error) {
      diagnostics = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(diagnostics).toBe('');
  }, 60_000);
});

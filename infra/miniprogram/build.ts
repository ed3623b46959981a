import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

import { buildSync, transformSync } from 'esbuild';

import { projectRoot } from '../local/http-api';

export const miniprogramRoot = resolve(projectRoot, 'miniprogram');

/** What is not part of the package: the type-checking config, the npm manifest and its installs. */
const notShipped = new Set(['tsconfig.json', 'package.json', 'node_modules', 'miniprogram_npm']);

export interface BuiltFile {
  path: string;
  bytes: number;
}

/**
 * Compiles the mini-program as WeChat DevTools does with its TypeScript plugin: every .ts
 * transpiled on its own to CommonJS JavaScript (type-only imports vanish, so the shared
 * schemas' types cost nothing), WXML, WXSS, JSON and images copied as they are. The output is
 * what the simulator tests load, what the preview renders and what the size budget measures.
 */
export function buildMiniprogram(outDir: string, opts: { minify?: boolean } = {}): BuiltFile[] {
  rmSync(outDir, { recursive: true, force: true });
  const files: BuiltFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const src = join(dir, name);
      if (notShipped.has(name)) continue;
      if (statSync(src).isDirectory()) {
        walk(src);
        continue;
      }
      const rel = relative(miniprogramRoot, src);
      const out = join(outDir, rel.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(out), { recursive: true });
      if (name.endsWith('.ts')) {
        const { code } = transformSync(readFileSync(src, 'utf8'), { loader: 'ts', format: 'cjs', target: 'es2018', charset: 'utf8', minify: opts.minify ?? false, sourcefile: src });
        writeFileSync(out, code);
      } else {
        copyFileSync(src, out);
      }
      files.push({ path: relative(outDir, out), bytes: statSync(out).size });
    }
  };
  walk(miniprogramRoot);
  files.push(...packNpm(outDir, opts.minify ?? false));
  // For Node (the simulator): the project is an ES module package, the compiled pages are
  // CommonJS as in WeChat; and `require('<npm package>')` finds miniprogram_npm, as in WeChat.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
  symlinkSync('miniprogram_npm', join(outDir, 'node_modules'), 'dir');
  return files;
}

/**
 * What DevTools' 构建 npm does: each package in miniprogram/package.json becomes one file,
 * miniprogram_npm/<name>/index.js, which `require('<name>')` finds in WeChat. Taken from the
 * project's node_modules (the same pinned version).
 */
function packNpm(outDir: string, minify: boolean): BuiltFile[] {
  const deps = Object.keys((JSON.parse(readFileSync(join(miniprogramRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {});
  const resolveFromProject = createRequire(join(projectRoot, 'package.json')).resolve;
  return deps.map((name) => {
    const out = join(outDir, 'miniprogram_npm', name, 'index.js');
    buildSync({ entryPoints: [resolveFromProject(name)], bundle: true, format: 'cjs', platform: 'neutral', target: 'es2018', charset: 'utf8', minify, outfile: out, logLevel: 'error' });
    return { path: relative(outDir, out), bytes: statSync(out).size };
  });
}

export function packageSize(files: BuiltFile[]) {
  const totalBytes = files.reduce((s, f) => s + f.bytes, 0);
  return { files: files.length, totalBytes, budgetBytes: 200 * 1024, limitBytes: 2 * 1024 * 1024 };
}

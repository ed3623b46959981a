import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { transformSync } from 'esbuild';
import { projectRoot } from '../local/http-api';

export const miniprogramRoot = resolve(projectRoot, 'miniprogram');

/** What is not part of the package: the type-checking config and the typings. */
const notShipped = new Set(['tsconfig.json']);

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
      if (statSync(src).isDirectory()) {
        walk(src);
        continue;
      }
      if (notShipped.has(name)) continue;
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
  // The project is an ES module package; the compiled pages are CommonJS, as in WeChat.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
  return files;
}

export function packageSize(files: BuiltFile[]) {
  const totalBytes = files.reduce((s, f) => s + f.bytes, 0);
  return { files: files.length, totalBytes, budgetBytes: 200 * 1024, limitBytes: 2 * 1024 * 1024 };
}

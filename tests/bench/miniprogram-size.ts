import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { transformSync } from 'esbuild';

/**
 * The mini-program package as WeChat DevTools would compile it: every .ts transpiled to ES2015
 * JavaScript (type-only imports vanish), WXML, WXSS, JSON and images as they are. WeChat caps
 * a main package at 2 MB; the budget here is 200 KB.
 */
export function miniprogramSize(root = resolve(import.meta.dirname, '../../miniprogram')) {
  const files: { path: string; bytes: number }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'preview' && name !== 'node_modules') walk(p);
        continue;
      }
      if (name === 'tsconfig.json') continue;
      const src = readFileSync(p);
      const bytes = name.endsWith('.ts') ? Buffer.byteLength(transformSync(src.toString('utf8'), { loader: 'ts', target: 'es2015', format: 'cjs', minify: true }).code) : src.byteLength;
      files.push({ path: p.slice(root.length + 1).replace(/\.ts$/, '.js'), bytes });
    }
  };
  walk(root);
  const total = files.reduce((s, f) => s + f.bytes, 0);
  return { files: files.length, totalBytes: total, budgetBytes: 200 * 1024, limitBytes: 2 * 1024 * 1024 };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) console.log(miniprogramSize());

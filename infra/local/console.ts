import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

import { config } from '../../shared/config';
import { consoleHeaderMap, consolePath } from '../console-site';

const root = resolve(import.meta.dirname, '../..');
export const consoleDist = resolve(root, 'console/dist');

/** Builds the console (Vite) into console/dist (~3–5 s on this machine). */
export async function buildConsole(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: resolve(root, 'console/vite.config.ts'), logLevel: 'warn' });
}

/** The newest modification time under a folder (its sources; the build output aside). */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (path.startsWith(consoleDist)) continue;
    newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * What `npm start` runs: builds the console unless the build is newer than every source it is made
 * from (console/ and the shared/ code it bundles), so that a restart does not wait for an
 * unchanged build and a changed source is never served stale.
 */
export async function buildConsoleIfStale(): Promise<'built' | 'fresh'> {
  const index = join(consoleDist, 'index.html');
  if (existsSync(index)) {
    const built = statSync(index).mtimeMs;
    if (newestUnder(resolve(root, 'console')) < built && newestUnder(resolve(root, 'shared')) < built) return 'fresh';
  }
  await buildConsole();
  return 'built';
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/**
 * Answers GET /console/… from the built files, as the S3 origin behind CloudFront does: hashed
 * assets cached for good, index.html never (a deploy must show at the next load). Returns false
 * for any other path.
 */
export function serveConsole(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (path === consolePath.slice(0, -1)) {
    res.writeHead(301, { location: consolePath }).end();
    return true;
  }
  if (!path.startsWith(consolePath)) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const rel = normalize(path.slice(consolePath.length)).replace(/^(\.\.(\/|\\|$))+/, '');
  let file = join(consoleDist, rel || 'index.html');
  if (!file.startsWith(consoleDist) || !existsSync(file) || statSync(file).isDirectory()) file = join(consoleDist, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('控制台尚未构建：npm start 会先构建它');
    return true;
  }
  const immutable = file.includes(`${join(consoleDist, 'assets')}`);
  res.writeHead(200, {
    'content-type': types[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...consoleHeaderMap(config().S3_ENDPOINT ?? ''),
  });
  res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  return true;
}

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import S3rver from 's3rver';

/**
 * The local stand-in for S3 (photos): s3rver, files on disk. `dir` keeps them between runs;
 * without it they live in a temp folder removed at stop. Signatures are not checked (local
 * credentials are fake), everything else — presigned POST uploads, presigned GETs, HeadObject —
 * goes through the real SDK calls.
 */
export async function startS3Local(opts: { dir?: string } = {}): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const directory = opts.dir ?? mkdtempSync(join(tmpdir(), 'anzhi-s3-'));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, allowMismatchedSignatures: true, vhostBuckets: false });
  const { port } = (await server.run()) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      await server.close();
      if (!opts.dir) rmSync(directory, { recursive: true, force: true });
    },
  };
}

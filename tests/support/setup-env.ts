import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

// Quiet, deterministic process defaults for every test file.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
process.env.TZ = 'UTC';

// Copy everything this test process writes to stdout/stderr (structured logs included) into the
// run's log folder, where the global teardown checks it for leaked personal numbers.
const dir = process.env.TEST_LOG_DIR;
const tee = globalThis as { __teeInstalled?: boolean };
if (dir && !tee.__teeInstalled) {
  tee.__teeInstalled = true;
  const file = join(dir, `${process.pid}.log`);
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    (stream as unknown as { write: (...args: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      appendFileSync(file, text);
      // Structured log lines and metrics (EMF) are kept in the file; TEST_LOG_ECHO=1 shows them as well.
      if ((text.startsWith('{"level"') || text.startsWith('{"_aws"')) && !process.env.TEST_LOG_ECHO) return true;
      return write(chunk, ...rest);
    };
  }
}

import { afterAll } from 'vitest';
import { removeTempDirs } from '@/scripts/lib/temp-dir';

process.env.NEXT_TELEMETRY_DISABLED = '1';

// Each test file's temporary folders (scripts/lib/temp-dir.ts) go when the file ends, passed or failed: files share
// their worker processes, which may live for the whole run. Registered here, before the file's own hooks, so that
// it runs after them (vitest runs "after" hooks last-registered first), once the file has closed its apps and
// stopped the servers that used them.
afterAll(() => {
  removeTempDirs();
});

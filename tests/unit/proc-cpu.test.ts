import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processCpuSeconds } from '@/scripts/lib/proc-cpu';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// The processes measured are this test's own fresh ones, not the test worker: a shared worker's other threads
// (garbage collection, compilation, what earlier files left running) used 0.46 CPU-s while it waited 0.3 s for a
// child in one CI run, and a figure that depends on them cannot tell the reader's fields apart.

const HELPER = path.resolve(import.meta.dirname, '../../scripts/lib/proc-cpu.ts');

/** Busy for `ms` of CPU (not wall time, so a loaded machine does not shorten it). */
const BURN = (ms: number) => `const until = process.cpuUsage().user / 1000 + ${ms}; while (process.cpuUsage().user / 1000 < until);`;

/**
 * A Node process that runs `script`, then prints its own CPU figures as the reader gives them and waits to be
 * killed, so that it can also be read from outside by its pid.
 */
function measured(script: string): Promise<{ pid: number; own: number; withChildren: number; stop(): void }> {
  // A file: tsx does not load TypeScript imported from `node -e`.
  const file = path.join(makeTempDir('pa-proc-cpu-'), 'measured.mts');
  writeFileSync(
    file,
    `import { processCpuSeconds } from ${JSON.stringify(HELPER)};
     ${script}
     console.log(JSON.stringify({ own: processCpuSeconds('self'), withChildren: processCpuSeconds('self', { hasChildren: true }) }));
     setInterval(() => {}, 1000);`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', file]);
  let out = '';
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before reporting: ${out}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((entry) => entry.startsWith('{'));
      if (!line) return;
      child.removeAllListeners('exit');
      resolve({ pid: child.pid!, ...(JSON.parse(line) as { own: number; withChildren: number }), stop: () => child.kill('SIGKILL') });
    });
  });
}

describe.runIf(process.platform === 'linux')('processCpuSeconds (the benches\' CPU figures)', () => {
  it('counts the CPU a process used, from inside it and by its pid', async () => {
    const busy = await measured(BURN(400));
    try {
      expect(busy.own).toBeGreaterThanOrEqual(0.3);
      // Read by pid from another process: the same figure, or a little more (it has gone on since).
      const outside = processCpuSeconds(busy.pid)!;
      expect(outside).toBeGreaterThanOrEqual(busy.own);
      expect(outside).toBeLessThan(busy.own + 0.3);
    } finally {
      busy.stop();
    }
  });

  it('adds the CPU of a child the process waited for only with hasChildren', async () => {
    // The parent itself only starts (a fraction of a CPU-second) and waits; its child burns 0.6 s.
    const parent = await measured(
      `import { spawnSync } from 'node:child_process'; spawnSync(process.execPath, ['-e', ${JSON.stringify(BURN(600))}]);`,
    );
    try {
      expect(parent.own).toBeGreaterThan(0);
      // Were the child's CPU in the process's own figure, or missing from the one with children, this would be 0.
      expect(parent.withChildren - parent.own).toBeGreaterThanOrEqual(0.5);
    } finally {
      parent.stop();
    }
  });
});

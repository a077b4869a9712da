import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processCpuSeconds } from '@/scripts/lib/proc-cpu';

describe.runIf(process.platform === 'linux')('processCpuSeconds (the benches\' CPU figures)', () => {
  it('counts this process\'s CPU as it works, and with its children the CPU of a child it waited for', () => {
    const before = processCpuSeconds('self')!;
    const withChildrenBefore = processCpuSeconds('self', { hasChildren: true })!;
    const until = Date.now() + 300;
    let spin = 0;
    while (Date.now() < until) spin += Math.sqrt(spin + 1);
    expect(spin).toBeGreaterThan(0);
    expect(processCpuSeconds('self')! - before).toBeGreaterThanOrEqual(0.1);
    // A child that burns ~0.3 s of CPU: counted with children, not in the process's own figure.
    const own = processCpuSeconds('self')!;
    spawnSync(process.execPath, ['-e', 'const t = Date.now() + 300; while (Date.now() < t);']);
    const children = processCpuSeconds('self', { hasChildren: true })! - withChildrenBefore - (processCpuSeconds('self')! - before);
    expect(children).toBeGreaterThanOrEqual(0.1);
    expect(processCpuSeconds('self')! - own).toBeLessThan(0.2);
    expect(processCpuSeconds(process.pid)).toBeGreaterThan(0);
  });
});

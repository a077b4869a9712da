import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks: USER_HZ, 100 on x86 and ARM. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds (user + system) a process has used, from /proc/<pid>/stat; with `hasChildren`, plus those of the
 * child processes it has waited for (the servers, builds and browsers a bench section starts and stops).
 * Undefined where there is no /proc (macOS, Windows): a figure left out, never a failure.
 */
export function processCpuSeconds(pid: number | 'self', { hasChildren = false }: { hasChildren?: boolean } = {}): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const stat = readFileSync(file, 'utf8');
  // Fields after the command name (which may hold spaces) start at the state, field 3; utime, stime, cutime and
  // cstime are fields 14 to 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.slice(11, hasChildren ? 15 : 13).reduce((total, ticks) => total + Number(ticks), 0) / CLOCK_TICKS;
}

/** Process ids of a process and its descendants (`next start` may serve from a child process), from `ps`. */
export function processTree(pid: number): number[] {
  const all = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const tree = [pid];
  for (let index = 0; index < tree.length; index += 1) for (const [child, parent] of all) if (parent === tree[index]) tree.push(child);
  return tree;
}

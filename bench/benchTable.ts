/** Operation label -> store name -> median µs, for one run of the workload. */
export type Results = Map<string, Map<string, number>>;

function fmt(us: number): string {
  if (us >= 10_000) return `${(us / 1000).toFixed(1)} ms`;
  return `${us.toFixed(1)} µs`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Prints one row per operation, one column per store: the median time over the runs, and the
 * median of each run's ratio to the floor (a ratio taken within one run shares that run's load,
 * so it moves less than the times do).
 */
export function printTable(runs: Results[], names: string[], floor: string): void {
  const width = Math.max(...names.map((n) => n.length)) + 4;
  console.log(['operation'.padEnd(32), ...names.map((n) => n.padStart(width))].join(''));
  for (const label of runs[0]!.keys()) {
    const perRun = runs.map((run) => run.get(label)!);
    const cells = names.map((name) => {
      const value = median(perRun.map((m) => m.get(name)!));
      const ratio = name === floor ? '' : ` ${median(perRun.map((m) => m.get(name)! / m.get(floor)!)).toFixed(2)}x`;
      return `${fmt(value)}${ratio}`.padStart(width);
    });
    console.log([label.padEnd(32), ...cells].join(''));
  }
  console.log(`ratios: against ${floor}, median over ${runs.length} run(s)`);
}

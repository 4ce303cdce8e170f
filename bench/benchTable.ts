/** Operation label -> store name -> median µs. */
export type Results = Map<string, Map<string, number>>;

function fmt(us: number): string {
  if (us >= 10_000) return `${(us / 1000).toFixed(1)} ms`;
  return `${us.toFixed(1)} µs`;
}

/** Prints one row per operation, one column per store, with each store's ratio to the floor. */
export function printTable(results: Results, names: string[], floor: string): void {
  const width = Math.max(...names.map((n) => n.length)) + 4;
  console.log(['operation'.padEnd(32), ...names.map((n) => n.padStart(width))].join(''));
  for (const [label, medians] of results) {
    const base = medians.get(floor)!;
    const cells = names.map((name) => {
      const value = medians.get(name)!;
      const ratio = name === floor ? '' : ` ${(value / base).toFixed(2)}x`;
      return `${fmt(value)}${ratio}`.padStart(width);
    });
    console.log([label.padEnd(32), ...cells].join(''));
  }
  console.log(`ratios: against ${floor}`);
}

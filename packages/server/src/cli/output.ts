/** Output helpers shared by the CLI commands: stdout lines and plain-text tables. */

export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Left-aligned columns separated by two spaces, the header row first. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>, indent = '  '): string[] {
  const cells = rows.map((row) => row.map(String));
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return cells.map((row) => indent + row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
}

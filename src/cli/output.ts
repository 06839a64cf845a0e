/** Human output for the CLI: colour only on a TTY, and never when NO_COLOR is set. */
const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);

export const color = {
  green: paint(32),
  red: paint(31),
  yellow: paint(33),
  dim: paint(2),
  bold: paint(1),
};

export const mark = {
  ok: color.green('✔'),
  off: color.dim('○'),
  fail: color.red('✗'),
  warn: color.yellow('!'),
};

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

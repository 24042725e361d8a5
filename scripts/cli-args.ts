/**
 * The argument handling every CLI here shares: options parsed strictly (unknown or
 * positional arguments refused), and a failure is one line on stderr with exit code 2, so a
 * caller reading stdout never sees half an answer.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Type the result `(message: string) => never` where it is declared, so TypeScript narrows after a call. */
export function cliFail(tool: string): (message: string) => never {
  return (message: string) => {
    process.stderr.write(`${tool}: ${message}\n`);
    process.exit(2);
  };
}

export function parseCli<O extends NonNullable<ParseArgsConfig['options']>>(
  fail: (message: string) => never,
  options: O,
) {
  try {
    return parseArgs({ options, allowPositionals: false, strict: true }).values;
  } catch (err) {
    return fail((err as Error).message);
  }
}

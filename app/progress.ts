/** Progress per stack while synthesizing: on a terminal only, and never in CI. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export function progressReporter(
  stream: ProgressStream,
  env: Readonly<Record<string, string | undefined>>,
): ((done: number, total: number, stack: string) => void) | undefined {
  if (!stream.isTTY || env.CI) return undefined;
  return (done, total, stack) => {
    stream.write(`\r\x1b[2K[${done}/${total}] ${stack}`);
    if (done === total) stream.write('\r\x1b[2K');
  };
}

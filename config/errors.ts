/** Config errors: every one names the file, the path inside it, the value found and what is allowed. */

export type ConfigPath = ReadonlyArray<string | number>;

export interface ConfigIssue {
  readonly file: string;
  readonly path: ConfigPath;
  /** 1-based line and column of the value in the file, when known. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /** The value found at the path (undefined when the key is missing). */
  readonly value?: unknown;
  /** What is allowed instead. */
  readonly allowed?: string;
}

/** `tenants[2].bundesMessenger.mode` */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(top level)' : out;
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  const parts = [`${where}: ${formatPath(issue.path)}: ${issue.message}`, `found ${formatValue(issue.value)}`];
  if (issue.allowed) parts.push(`allowed: ${issue.allowed}`);
  return parts.join('; ');
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `The federation config has ${issues.length} error${issues.length === 1 ? '' : 's'}:\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

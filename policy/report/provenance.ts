/**
 * Where a compliance report comes from, so that it can serve as evidence: date of issue, project version, git
 * commit and the SHA-256 of the config file. Read without spawning git (`.git/HEAD`, loose refs, `packed-refs`,
 * worktrees); `unbekannt` when the project is not a git checkout.
 *
 * Date of issue: `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention; CI sets it to the
 * commit time) when set and valid, else the day of the synth. Both as the calendar day in Europe/Berlin, so every
 * synth of one day writes the same report; an unchanged output is kept by the synth record (app/output-record.ts)
 * with the date it was issued on.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const UNKNOWN = 'unbekannt';

export interface ReportIssue {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly dateSource: 'SOURCE_DATE_EPOCH' | 'Synthesezeitpunkt';
  readonly projectVersion: string;
  /** Full commit id, or `unbekannt`. */
  readonly commit: string;
  /** The config file: relative to the project when inside it, else its absolute path. */
  readonly configFile: string;
  /** SHA-256 (hex) of the config file, or `unbekannt` when it cannot be read. */
  readonly configSha256: string;
}

const HEX_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const REF = /^refs\/[A-Za-z0-9._/-]+$/;

/** The calendar day of an instant in Europe/Berlin, as `YYYY-MM-DD`. */
export function berlinDay(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The date of issue: `SOURCE_DATE_EPOCH` when it is a whole number of seconds, else `now`. */
export function issueDate(
  env: Readonly<Record<string, string | undefined>>,
  now: Date,
): Pick<ReportIssue, 'date' | 'dateSource'> {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch && /^\d{1,12}$/.test(epoch))
    return { date: berlinDay(new Date(Number(epoch) * 1000)), dateSource: 'SOURCE_DATE_EPOCH' };
  return { date: berlinDay(now), dateSource: 'Synthesezeitpunkt' };
}

const read = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** The commit checked out in `root` (a repository or a worktree), without running git; undefined when unknown. */
export function gitCommit(root: string): string | undefined {
  let gitDir = path.join(root, '.git');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(gitDir);
  } catch {
    return undefined;
  }
  if (stat.isFile()) {
    const target = /^gitdir:\s*(.+)$/m.exec(read(gitDir) ?? '')?.[1]?.trim();
    if (!target) return undefined;
    gitDir = path.resolve(root, target);
  }
  const common = (() => {
    const c = read(path.join(gitDir, 'commondir'))?.trim();
    return c ? path.resolve(gitDir, c) : gitDir;
  })();
  const head = read(path.join(gitDir, 'HEAD'))?.trim();
  if (!head) return undefined;
  if (HEX_ID.test(head)) return head;
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref || !REF.test(ref) || ref.split('/').includes('..')) return undefined;
  for (const dir of [gitDir, common]) {
    const id = read(path.join(dir, ref))?.trim();
    if (id && HEX_ID.test(id)) return id;
  }
  for (const line of (read(path.join(common, 'packed-refs')) ?? '').split('\n')) {
    const [id, name] = line.trim().split(' ');
    if (name === ref && HEX_ID.test(id)) return id;
  }
  return undefined;
}

/** The version in the project's package.json, or `unbekannt`. */
export function projectVersion(root: string): string {
  try {
    const v = (JSON.parse(read(path.join(root, 'package.json')) ?? '{}') as { version?: unknown }).version;
    return typeof v === 'string' && v ? v : UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

export function fileSha256(file: string): string {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return UNKNOWN;
  }
}

/** The config file as the report names it: relative to the project when inside it, else its absolute path. */
export function configFileName(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : path.resolve(file);
}

/** The provenance of the reports of one synth. */
export function reportIssue(
  root: string,
  configFile: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  now: Date = new Date(),
  /** The hash of the text the federation was parsed from (the model carries it); default: the file on disk. */
  configSha256?: string,
): ReportIssue {
  return {
    ...issueDate(env, now),
    projectVersion: projectVersion(root),
    commit: gitCommit(root) ?? UNKNOWN,
    configFile: configFileName(root, configFile),
    configSha256: configSha256 ?? fileSha256(configFile),
  };
}

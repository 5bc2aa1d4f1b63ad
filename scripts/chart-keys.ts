/**
 * `npm run charts:keys -- --mirror <chart mirror> --reference <reference values> [--check]`
 * Derives the Helm values key paths of every pinned chart version (constructs/wire/chart-versions.ts,
 * constructs/matrix/chart-version.ts) from upstream material the repository does not keep: the packaged charts of a
 * chart mirror and the reference values (chart defaults, Wire's production examples, BundesMessenger's key list).
 * The key paths are facts about a chart version; they are checked in beside the pins (`chart-keys/*.keys`), so the
 * values key-path tests need no upstream files. `--check` regenerates in memory and compares.
 * `npm run charts:keys -- <chart dir or .tgz>...` prints the key paths of the given charts' default values instead.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { projectRoot } from '../config/paths';
import { BUNDESMESSENGER_CHART } from '../constructs/matrix/chart-version';
import { WIRE_CHARTS, type WireChartName } from '../constructs/wire/chart-versions';

// ---- key paths ------------------------------------------------------------------------------------------------

/** Every key path of a values object: `a.b.c`, lists as `a.b[]`, list items' keys as `a.b[].c`. */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    const here = `${prefix}[]`;
    return [here, ...value.flatMap((v) => (v && typeof v === 'object' ? keyPaths(v, here) : []))];
  }
  if (value === null || typeof value !== 'object') return prefix ? [prefix] : [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return prefix ? [prefix] : [];
  return [...(prefix ? [prefix] : []), ...entries.flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k))];
}

/** A source that is listed but cannot be read or parsed (exit code 2). */
export class SourceError extends Error {}

/** YAML as Helm reads it: `<<` merge keys expanded, a repeated key overriding the earlier one. */
function parseYaml(text: string, where: string): unknown {
  try {
    return parse(text, { merge: true, uniqueKeys: false, logLevel: 'error' });
  } catch (e) {
    throw new SourceError(`${where}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

// ---- charts: directories and packaged .tgz --------------------------------------------------------------------

/** The files of one chart, by path relative to the chart's folder. */
export type ChartFiles = ReadonlyMap<string, Buffer>;

/** The regular files of a tar archive by path: ustar headers (with prefix), pax `path` records, GNU long names. */
export function untar(tar: Buffer, where: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break; // zero blocks end the archive
    const field = (from: number, length: number) => {
      const raw = header.subarray(from, from + length);
      const end = raw.indexOf(0);
      return raw.subarray(0, end < 0 ? length : end).toString('utf8');
    };
    // The checksum counts its own field as eight spaces.
    const sum = header.reduce((s, b, i) => s + (i >= 148 && i < 156 ? 32 : b), 0);
    if (parseInt(field(148, 8).trim(), 8) !== sum) throw new SourceError(`${where}: not a tar archive (at ${at})`);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const body = tar.subarray(at + 512, at + 512 + size);
    if (body.length < size) throw new SourceError(`${where}: truncated tar archive`);
    at += 512 + Math.ceil(size / 512) * 512;
    const type = String.fromCharCode(header[156]);
    if (type === 'x') {
      longName = paxPath(body) ?? longName; // describes the next entry
    } else if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
    } else if (type !== 'g') {
      const prefix = field(257, 6) === 'ustar' ? field(345, 155) : '';
      const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
      if (type === '0' || type === '\0' || type === '7') files.set(name.replace(/^\.\//, ''), Buffer.from(body));
      longName = undefined;
    }
  }
  return files;
}

/** The `path` record of a pax extended header (`<length> path=<value>\n`, the length counting the whole record). */
function paxPath(body: Buffer): string | undefined {
  let found: string | undefined;
  for (let at = 0; at < body.length; ) {
    const space = body.indexOf(0x20, at);
    const length = parseInt(body.subarray(at, space).toString('ascii'), 10);
    if (space < 0 || !(length > 0)) break;
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    if (record.startsWith('path=')) found = record.slice('path='.length);
    at += length;
  }
  return found;
}

/** The files of a packaged chart (`helm package`): a gzipped tar with the chart in one top folder. */
export function chartFilesOfTarball(data: Buffer, where: string): ChartFiles {
  let tar: Buffer;
  try {
    tar = gunzipSync(data);
  } catch (e) {
    throw new SourceError(`${where}: not a gzipped chart archive: ${(e as Error).message}`);
  }
  const files = new Map<string, Buffer>();
  for (const [name, body] of untar(tar, where)) {
    const slash = name.indexOf('/');
    if (slash > 0) files.set(name.slice(slash + 1), body);
  }
  return files;
}

/** The files of a chart folder. */
export function chartFilesOfDir(dir: string): ChartFiles {
  const files = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.set(p, fs.readFileSync(path.join(dir, p)));
    }
  };
  walk('');
  return files;
}

/** A chart folder or a packaged chart, by file name. */
export function readChartFiles(file: string): ChartFiles {
  if (!fs.existsSync(file)) throw new SourceError(`${file}: not found`);
  return fs.statSync(file).isDirectory() ? chartFilesOfDir(file) : chartFilesOfTarball(fs.readFileSync(file), file);
}

interface Dependency {
  readonly name?: string;
  readonly alias?: string;
}

/** A chart's name, version and the key paths of its default values. */
export interface ChartKeyPaths {
  readonly name: string;
  readonly version: string;
  readonly paths: Set<string>;
}

/**
 * The key paths of a chart's default values as Helm merges them: its own values.yaml, plus every subchart's (a
 * folder or a packaged chart under `charts/`, recursively) nested under the subchart's name, or under each alias
 * that the dependencies (Chart.yaml, or requirements.yaml of apiVersion v1 charts) give it. A subchart's `global`
 * keys appear at the top as well, where a user sets them for every chart. Conditions and tags are ignored: a
 * disabled subchart's keys are still keys of the chart.
 */
export function chartKeyPaths(files: ChartFiles, where: string): ChartKeyPaths {
  const yamlOf = (file: string) => {
    const text = files.get(file);
    return text === undefined ? undefined : parseYaml(text.toString('utf8'), `${where}: ${file}`);
  };
  const meta = (yamlOf('Chart.yaml') ?? {}) as { name?: unknown; version?: unknown; dependencies?: Dependency[] };
  if (typeof meta.name !== 'string') throw new SourceError(`${where}: no Chart.yaml with a name`);
  const requirements = yamlOf('requirements.yaml') as { dependencies?: Dependency[] } | undefined;
  const dependencies = meta.dependencies ?? requirements?.dependencies ?? [];
  const paths = new Set(keyPaths(yamlOf('values.yaml') ?? {}));

  // Subcharts by their place: `charts/<folder>` or `charts/<file>.tgz`.
  const folders = new Map<string, Map<string, Buffer>>();
  const packaged = new Map<string, ChartFiles>();
  for (const [file, body] of files) {
    const inFolder = /^(charts\/[^/]+)\/(.+)$/.exec(file);
    if (inFolder) folders.set(inFolder[1], (folders.get(inFolder[1]) ?? new Map()).set(inFolder[2], body));
    else if (/^charts\/[^/]+\.tgz$/.test(file)) packaged.set(file, chartFilesOfTarball(body, `${where}: ${file}`));
  }
  for (const [place, sub] of [...folders, ...packaged].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const child = chartKeyPaths(sub, `${where}: ${place}`);
    const listed = dependencies.filter((d) => d.name === child.name).map((d) => d.alias ?? child.name);
    for (const name of listed.length ? listed : [child.name]) {
      paths.add(name);
      for (const p of child.paths) paths.add(`${name}.${p}`);
    }
    for (const p of child.paths) if (p === 'global' || p.startsWith('global.')) paths.add(p);
  }
  return { name: meta.name, version: String(meta.version ?? ''), paths };
}

// ---- the sources of each pinned chart version -----------------------------------------------------------------

/**
 * Where the key paths of a chart come from, besides the chart itself when the mirror has it (file names are
 * relative to the reference folder).
 */
export interface ChartSources {
  /** Chart default values, read only when the chart is not in the mirror; `sub:file` nests under a subchart. */
  readonly defaults?: readonly string[];
  /** Wire's production example values: keys the chart reads although its defaults do not show them. */
  readonly examples?: readonly string[];
  /** A list of key paths (`path.*` = free-form map, `path # commented` = shown only in commented-out YAML). */
  readonly keyList?: string;
}

const DEFAULTS = 'wire-server-charts';
const EXAMPLES = 'wire-server-deploy-values';

/** The sources of the Wire charts: see ../shared/reference/README.md and ../shared/charts/README.md. */
export const WIRE_SOURCES: Readonly<Record<WireChartName, ChartSources>> = {
  'wire-server': {
    defaults: [
      `${DEFAULTS}/wire-server.values.yaml`,
      `nginz:${DEFAULTS}/nginz.values.yaml`,
      `federator:${DEFAULTS}/federator.values.yaml`,
      `cassandra-migrations:${DEFAULTS}/cassandra-migrations.values.yaml`,
      `elasticsearch-index:${DEFAULTS}/elasticsearch-index.values.yaml`,
    ],
    examples: [`${EXAMPLES}/wire-server/prod-values.example.yaml`, `${EXAMPLES}/wire-server/prod-secrets.example.yaml`],
  },
  'nginx-ingress-services': {
    defaults: [`${DEFAULTS}/nginx-ingress-services.values.yaml`],
    examples: [
      `${EXAMPLES}/nginx-ingress-services/prod-values.example.yaml`,
      `${EXAMPLES}/nginx-ingress-services/prod-secrets.example.yaml`,
    ],
  },
  'ingress-nginx-controller': {
    defaults: [`${DEFAULTS}/ingress-nginx-controller.values.yaml`],
    examples: [
      `${EXAMPLES}/ingress-nginx-controller/prod-values.example.yaml`,
      `${EXAMPLES}/ingress-nginx-controller/load-balancer.example.yaml`,
    ],
  },
  'databases-ephemeral': { examples: [`${EXAMPLES}/databases-ephemeral/prod-values.example.yaml`] },
  'fake-aws': {
    defaults: [`${DEFAULTS}/fake-aws.values.yaml`],
    examples: [`${EXAMPLES}/fake-aws/prod-values.example.yaml`],
  },
  rabbitmq: { examples: [`${EXAMPLES}/rabbitmq/prod-values.example.yaml`] },
  'cassandra-external': {
    defaults: [`${DEFAULTS}/cassandra-external.values.yaml`],
    examples: [`${EXAMPLES}/cassandra-external/prod-values.example.yaml`],
  },
  'elasticsearch-external': {
    defaults: [`${DEFAULTS}/elasticsearch-external.values.yaml`],
    examples: [`${EXAMPLES}/elasticsearch-external/prod-values.example.yaml`],
  },
  'minio-external': {
    defaults: [`${DEFAULTS}/minio-external.values.yaml`],
    examples: [`${EXAMPLES}/minio-external/prod-values.example.yaml`],
  },
  'postgresql-external': { examples: [`${EXAMPLES}/postgresql-external/prod-values.example.yaml`] },
  'rabbitmq-external': {
    defaults: [`${DEFAULTS}/rabbitmq-external.values.yaml`],
    examples: [`${EXAMPLES}/rabbitmq-external/prod-values.example.yaml`],
  },
  'redis-ephemeral': {
    defaults: [`${DEFAULTS}/redis-ephemeral.values.yaml`],
    examples: [`${EXAMPLES}/redis-ephemeral/prod-values.example.yaml`],
  },
  'ldap-scim-bridge': {
    defaults: [`${DEFAULTS}/ldap-scim-bridge.values.yaml`],
    examples: [`${EXAMPLES}/ldap-scim-bridge/values-prod.example.yaml`],
  },
  coturn: {
    examples: [`${EXAMPLES}/coturn/prod-values.example.yaml`, `${EXAMPLES}/coturn/prod-secrets.example.yaml`],
  },
  sftd: { defaults: ['sftd-chart/sftd.values.yaml'], examples: [`${EXAMPLES}/sftd/prod-values.example.yaml`] },
  webapp: { examples: [`${EXAMPLES}/webapp/prod-values.example.yaml`] },
  'team-settings': { examples: [`${EXAMPLES}/team-settings/prod-values.example.yaml`] },
  'account-pages': { examples: [`${EXAMPLES}/account-pages/prod-values.example.yaml`] },
};

/** One pinned chart version and the file its key paths go to (relative to the repository root). */
export interface KeysTarget {
  readonly chart: string;
  readonly version: string;
  readonly file: string;
  readonly sources: ChartSources;
}

/** The folders of the checked-in key files, beside the chart version pins. */
export const KEYS_DIRS = { wire: 'constructs/wire/chart-keys', matrix: 'constructs/matrix/chart-keys' } as const;

export const TARGETS: readonly KeysTarget[] = [
  ...Object.entries(WIRE_CHARTS).map(([chart, { version }]) => ({
    chart,
    version,
    file: `${KEYS_DIRS.wire}/${chart}-${version}.keys`,
    sources: WIRE_SOURCES[chart as WireChartName],
  })),
  {
    chart: BUNDESMESSENGER_CHART.chart,
    version: BUNDESMESSENGER_CHART.version,
    file: `${KEYS_DIRS.matrix}/${BUNDESMESSENGER_CHART.chart}-${BUNDESMESSENGER_CHART.version}.keys`,
    // Values-keys.txt was taken from a values.yaml of the 1.14-1.16 line (see its header).
    sources: { keyList: 'bundesmessenger-chart/values-keys.txt' },
  },
];

// ---- the .keys files --------------------------------------------------------------------------------------------

/**
 * Where a key path comes from when not from the chart's default values (those lines carry no tag): `example` =
 * only in Wire's production examples, `commented` = only in commented-out YAML of the chart's values.
 */
export type KeyTag = 'default' | 'commented' | 'example';
/** When several sources have a path, the first tag here wins. */
const TAG_ORDER: readonly KeyTag[] = ['default', 'commented', 'example'];

const FORMAT_NOTE = [
  '# One key path per line: `a.b`, a list `a.b[]`, its items’ keys `a.b[].c`, any key below a free-form map `a.b.*`.',
  '# A tab and `example` mark a path found only in Wire’s production examples, `commented` one that the chart’s',
  '# values show only as a comment; untagged paths are in the chart’s default values.',
];

/** The key paths of a .keys file with their tags. */
export function parseKeys(text: string): Map<string, KeyTag> {
  const keys = new Map<string, KeyTag>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [p, tag = 'default'] = line.split('\t');
    keys.set(p, tag as KeyTag);
  }
  return keys;
}

/** Reads the lines of a key list file: `path`, `path.*` or `path # commented`; `#` lines are comments. */
function keyListPaths(text: string): Map<string, KeyTag> {
  const keys = new Map<string, KeyTag>();
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s+# commented$/.exec(line);
    keys.set(m ? m[1] : line, m ? 'commented' : 'default');
  }
  return keys;
}

export interface Locations {
  /** A chart mirror: packaged charts named `<chart>-<version>.tgz`. */
  readonly mirror: string;
  /** The reference values folder. */
  readonly reference: string;
}

/** One derived key file, or why there is none. */
export interface Derived {
  readonly target: KeysTarget;
  /** The file's text; undefined when no source has the chart. */
  readonly text?: string;
  /** Facts worth reporting (not in the mirror, examples only, no source at all). */
  readonly notes: readonly string[];
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Derives the key file of one chart version from the mirror and the reference (throws SourceError). */
export function derive(target: KeysTarget, at: Locations): Derived {
  const { chart, version, sources } = target;
  const tags = new Map<string, KeyTag>();
  const add = (paths: Iterable<string>, tag: KeyTag) => {
    for (const p of paths) {
      const had = tags.get(p);
      if (had === undefined || TAG_ORDER.indexOf(tag) < TAG_ORDER.indexOf(had)) tags.set(p, tag);
    }
  };
  const sourceLines: string[] = [];
  const notes: string[] = [];
  const readReference = (file: string) => {
    const full = path.join(at.reference, file);
    if (!fs.existsSync(full)) throw new SourceError(`${file}: not found in the reference values (${at.reference})`);
    return fs.readFileSync(full);
  };

  const packaged = `${chart}-${version}.tgz`;
  const inMirror = path.join(at.mirror, packaged);
  if (fs.existsSync(inMirror)) {
    const data = fs.readFileSync(inMirror);
    const c = chartKeyPaths(chartFilesOfTarball(data, inMirror), inMirror);
    if (c.name !== chart || c.version !== version) {
      throw new SourceError(`${inMirror}: holds chart ${c.name} ${c.version}, not ${chart} ${version}`);
    }
    add(c.paths, 'default');
    sourceLines.push(`# source: chart ${packaged} sha256:${sha256(data)}`);
  } else {
    notes.push(`not in the chart mirror`);
    for (const entry of sources.defaults ?? []) {
      const [under, file] = entry.includes(':') ? entry.split(':') : ['', entry];
      const data = readReference(file);
      const doc = parseYaml(data.toString('utf8'), file) ?? {};
      add(keyPaths(under ? { [under]: doc } : doc), 'default');
      sourceLines.push(`# source: defaults ${entry} sha256:${sha256(data)}`);
    }
  }
  if (sources.keyList) {
    const data = readReference(sources.keyList);
    for (const [p, tag] of keyListPaths(data.toString('utf8'))) add([p], tag);
    sourceLines.push(`# source: key-list ${sources.keyList} sha256:${sha256(data)}`);
    // The list's own comment lines say where it was taken from and what it may not match: keep them.
    const provenance = data
      .toString('utf8')
      .split('\n')
      .filter((l) => l.startsWith('#'));
    sourceLines.push(...provenance.map((l) => `#   | ${l.replace(/^#\s?/, '')}`));
  }
  for (const file of sources.examples ?? []) {
    const data = readReference(file);
    add(keyPaths(parseYaml(data.toString('utf8'), file) ?? {}), 'example');
    sourceLines.push(`# source: example ${file} sha256:${sha256(data)}`);
  }

  if (sourceLines.length === 0) {
    return { target, notes: [...notes, 'no key source: neither in the chart mirror nor in the reference values'] };
  }
  if (![...tags.values()].includes('default'))
    notes.push('no chart defaults in the reference either: key paths from Wire’s production examples only');
  const lines = [...tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = [
    `# Helm values key paths of chart ${chart} ${version}. Derived by scripts/chart-keys.ts; do not edit.`,
    '# Regenerate: npm run charts:keys -- --mirror <chart mirror> --reference <reference values>',
    ...sourceLines,
    ...notes.map((n) => `# note: ${n}`),
    ...FORMAT_NOTE,
    ...lines.map(([p, tag]) => (tag === 'default' ? p : `${p}\t${tag}`)),
  ].join('\n');
  return { target, text: `${text}\n`, notes };
}

/**
 * The checked-in files that differ from the derived ones, and .keys files of no pinned chart version. (A chart
 * without any source is reported by derive, not here.)
 */
export function outOfDate(derived: readonly Derived[], root: string): string[] {
  const differ = derived.filter((d) => {
    const full = path.join(root, d.target.file);
    return d.text !== undefined && (!fs.existsSync(full) || fs.readFileSync(full, 'utf8') !== d.text);
  });
  return [...differ.map((d) => d.target.file), ...strayFiles(derived, root)];
}

/** .keys files in the key folders that belong to no pinned chart version (a former version, a removed chart). */
function strayFiles(derived: readonly Derived[], root: string): string[] {
  const dirs = [...new Set(derived.map((d) => path.posix.dirname(d.target.file)))];
  const wanted = new Set(derived.map((d) => d.target.file));
  return dirs.flatMap((dir) =>
    fs.existsSync(path.join(root, dir))
      ? fs
          .readdirSync(path.join(root, dir))
          .filter((f) => f.endsWith('.keys'))
          .map((f) => `${dir}/${f}`)
          .filter((f) => !wanted.has(f))
          .sort()
      : [],
  );
}

// ---- command line -----------------------------------------------------------------------------------------------

const USAGE = `Usage: npm run charts:keys -- [--mirror DIR] [--reference DIR] [--check]
       npm run charts:keys -- <chart folder or .tgz>...

Derives the Helm values key paths of every pinned chart version and writes them to
${KEYS_DIRS.wire}/<chart>-<version>.keys and ${KEYS_DIRS.matrix}/<chart>-<version>.keys.

  --mirror DIR      chart mirror with <chart>-<version>.tgz (default: $CHART_MIRROR, else ../shared/charts)
  --reference DIR   reference values (default: $MESSENGER_REFERENCE_DIR, else ../shared/reference)
  --check           write nothing; exit 1 when a checked-in key file differs from the derived one
  -h, --help        this text

With chart folders or packaged charts as arguments, prints the key paths of their default values (subcharts
included) and writes nothing. Exit codes: 0 done, 1 out of date or a chart without any source, 2 usage or a
source that cannot be read.
`;

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Where the key files live (the repository root). */
  readonly root?: string;
  readonly targets?: readonly KeysTarget[];
}

const STDIO: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Runs the command line; returns the exit code. */
export function main(argv: readonly string[], io: Io = STDIO): number {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        mirror: { type: 'string' },
        reference: { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values: flags, positionals } = args;
  if (flags.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length && (flags.check || flags.mirror || flags.reference)) {
    io.err(`chart arguments go without --check, --mirror and --reference\n${USAGE}`);
    return 2;
  }
  try {
    if (positionals.length) {
      for (const file of positionals) {
        const c = chartKeyPaths(readChartFiles(file), file);
        io.out(`# ${c.name} ${c.version} (${file})\n${[...c.paths].sort().join('\n')}\n`);
      }
      return 0;
    }
    return generate(flags, io);
  } catch (e) {
    if (e instanceof SourceError) {
      io.err(`cannot read a source: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function generate(flags: { mirror?: string; reference?: string; check?: boolean }, io: Io): number {
  const env = io.env ?? process.env;
  const root = io.root ?? projectRoot();
  const shared = path.resolve(projectRoot(), '..', 'shared');
  const at: Locations = {
    mirror: path.resolve(flags.mirror ?? env.CHART_MIRROR ?? path.join(shared, 'charts')),
    reference: path.resolve(flags.reference ?? env.MESSENGER_REFERENCE_DIR ?? path.join(shared, 'reference')),
  };
  for (const [what, dir, flag] of [
    ['chart mirror', at.mirror, '--mirror or CHART_MIRROR'],
    ['reference values', at.reference, '--reference or MESSENGER_REFERENCE_DIR'],
  ]) {
    if (!fs.existsSync(dir)) throw new SourceError(`${what} not found at ${dir} (set ${flag})`);
  }
  const derived = (io.targets ?? TARGETS).map((t) => derive(t, at));
  for (const d of derived) {
    for (const n of d.notes) (d.text === undefined ? io.err : io.out)(`${d.target.chart} ${d.target.version}: ${n}\n`);
  }
  const missing = derived.filter((d) => d.text === undefined).length;

  if (flags.check) {
    const stale = outOfDate(derived, root);
    if (stale.length) {
      io.err(`out of date (run npm run charts:keys):\n${stale.map((f) => `  ${f}\n`).join('')}`);
      return 1;
    }
    io.out(`${derived.length - missing} key files up to date\n`);
    return missing ? 1 : 0;
  }
  for (const d of derived) {
    if (d.text === undefined) continue;
    const full = path.join(root, d.target.file);
    const same = fs.existsSync(full) && fs.readFileSync(full, 'utf8') === d.text;
    if (!same) {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, d.text);
    }
    io.out(`${same ? 'unchanged' : 'wrote'} ${d.target.file} (${parseKeys(d.text).size} key paths)\n`);
  }
  for (const f of strayFiles(derived, root)) {
    fs.rmSync(path.join(root, f));
    io.out(`removed ${f} (no pinned chart version)\n`);
  }
  return missing ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

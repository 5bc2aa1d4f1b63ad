/**
 * Docs that run: every command in the shell blocks of README.md and docs/*.md either runs here (offline, in a
 * scratch directory) or is checked against the real command line of its tool: npm scripts and their flags
 * (`--help` of each script), the cdktf CLI's verbs and flags (`cdktf <verb> --help`) and its stack selection (globs
 * resolved against the stacks of the default federation, dependencies included or the flag that waives them),
 * Terraform's subcommands and flags (`terraform <cmd> -help`, when Terraform is installed).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tmpDir } from './helpers';

/** The glob matcher the cdktf CLI selects stacks with (resolved from the CLI's own package). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const minimatch = require(
  require.resolve('minimatch', { paths: [path.dirname(require.resolve('@cdktf/cli-core/package.json'))] }),
) as (name: string, pattern: string) => boolean;

interface DocCommand {
  readonly where: string;
  readonly text: string;
  readonly env: Readonly<Record<string, string>>;
  readonly argv: readonly string[];
}

/** Shell words of one simple command (quotes removed); enough for documentation commands. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unbalanced quote in: ${text}`);
      cur = (cur ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(c)) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else if (c === '#' && cur === undefined) {
      break; // a comment
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (cur !== undefined) words.push(cur);
  return words;
}

/** The commands of every ```sh block: continuation lines joined, `&&` chains split, env assignments separated. */
export function docCommands(file: string, text: string): DocCommand[] {
  const out: DocCommand[] = [];
  const lines = text.split('\n');
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*```(sh|bash|shell)\s*$/.test(lines[i])) inBlock = true;
    else if (/^\s*```/.test(lines[i])) inBlock = false;
    else if (inBlock && lines[i].trim() && !lines[i].trim().startsWith('#')) {
      const start = i;
      let joined = lines[i];
      while (/\\\s*$/.test(joined) && i + 1 < lines.length) joined = joined.replace(/\\\s*$/, ' ') + lines[++i];
      for (const part of joined.split(/\s&&\s/)) {
        const words = shellWords(part);
        const env: Record<string, string> = {};
        while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
          const [k, ...v] = words.shift()!.split('=');
          env[k] = v.join('=');
        }
        out.push({ where: `${file}:${start + 1}`, text: part.trim(), env, argv: words });
      }
    }
  }
  return out;
}

const DOC_FILES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const COMMANDS = DOC_FILES.flatMap((f) => docCommands(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
const PACKAGE_SCRIPTS = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<
  string,
  string
>;

const run = (cmd: string, args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}) =>
  spawnSync(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: 'true', ...opts.env },
    encoding: 'utf8',
    timeout: 120_000,
  });

/** `node scripts/launch.js <module>` scripts: their module, to run them outside the repository's directory. */
function launchModule(script: string): string | undefined {
  return /^node scripts\/launch\.js (\S+)$/.exec(PACKAGE_SCRIPTS[script] ?? '')?.[1];
}

const helpCache = new Map<string, string>();
function helpOf(key: string, make: () => string): string {
  if (!helpCache.has(key)) helpCache.set(key, make());
  return helpCache.get(key)!;
}

/** The stacks of the default federation with their dependencies (from a real synth's manifest.json). */
let manifestCache: Record<string, { dependencies: string[] }> | undefined;
function defaultManifest(): Record<string, { dependencies: string[] }> {
  if (!manifestCache) {
    const out = path.join(tmpDir(), 'out');
    const r = run(process.execPath, [path.join(ROOT, 'scripts', 'launch.js'), 'main'], { env: { CDKTF_OUTDIR: out } });
    if (r.status !== 0) throw new Error(`synth failed: ${r.stderr}`);
    manifestCache = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).stacks;
  }
  return manifestCache!;
}

const PLACEHOLDER = /<[^>]+>|\.\.\./;

/** Problems of one documented command; [] when it is right. */
function check(c: DocCommand): string[] {
  const [tool, ...args] = c.argv;
  const problems: string[] = [];
  const known = (flag: string, help: string) => {
    const name = flag.split('=')[0];
    return new RegExp(`(^|[\\s,])${name.replace(/[-[\]]/g, '\\$&')}([\\s=,]|$)`, 'm').test(help);
  };
  if (tool === 'export') {
    for (const a of args) if (!/^[A-Z_][A-Z0-9_]*=/.test(a)) problems.push(`export of '${a}'`);
  } else if (tool === 'npm') {
    const [verb, script, ...rest] = args;
    if (verb === 'ci' || verb === 'test') return script ? [`npm ${verb} takes no arguments here`] : [];
    if (verb !== 'run') return [`npm ${verb}: not a command this project documents`];
    if (!(script in PACKAGE_SCRIPTS)) return [`npm run ${script}: no such script in package.json`];
    if (rest.length > 0 && rest[0] !== '--') return [`npm run ${script}: arguments must follow '--'`];
    const flags = rest.slice(1).filter((a) => a.startsWith('--'));
    if (flags.length > 0) {
      const module = launchModule(script);
      if (!module) return [`npm run ${script}: takes no arguments`];
      const help = helpOf(`npm ${script}`, () => {
        const r = run(process.execPath, [path.join(ROOT, 'scripts', 'launch.js'), module, '--help']);
        if (r.status !== 0) throw new Error(`npm run ${script} -- --help exited ${r.status}: ${r.stderr}`);
        return r.stdout;
      });
      for (const f of flags) if (!known(f, help)) problems.push(`npm run ${script}: unknown flag ${f}`);
    }
  } else if (tool === 'npx' && args[0] === 'cdktf') {
    const [, verb, ...rest] = args;
    const help = helpOf(`cdktf ${verb}`, () => {
      const r = run(process.execPath, [
        path.join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'),
        verb,
        '--help',
      ]);
      return r.stdout.startsWith(`cdktf ${verb}`) ? r.stdout : '';
    });
    if (!help) return [`cdktf ${verb}: not a cdktf command`];
    const flags = rest.filter((a) => a.startsWith('-'));
    for (const f of flags) if (!known(f, help)) problems.push(`cdktf ${verb}: unknown flag ${f}`);
    const patterns = rest.filter((a) => !a.startsWith('-'));
    const stacks = defaultManifest();
    const names = Object.keys(stacks);
    const selected = [...new Set(patterns.flatMap((p) => names.filter((n) => minimatch(n, p))))];
    for (const p of patterns) {
      if (!names.some((n) => minimatch(n, p))) problems.push(`cdktf ${verb}: '${p}' matches no stack`);
    }
    if (['diff', 'plan', 'output'].includes(verb)) {
      // these take one stack by its exact name
      if (patterns.length !== 1 || !names.includes(patterns[0])) {
        problems.push(`cdktf ${verb} takes exactly one stack name, not ${patterns.join(' ') || 'none'}`);
      }
    }
    if (['deploy', 'destroy'].includes(verb) && !flags.includes('--ignore-missing-stack-dependencies')) {
      for (const s of selected) {
        const missing =
          verb === 'deploy'
            ? stacks[s].dependencies.filter((d) => !selected.includes(d))
            : names.filter((d) => stacks[d].dependencies.includes(s) && !selected.includes(d));
        if (missing.length > 0) problems.push(`cdktf ${verb}: ${s} needs ${missing.join(', ')}, which is not selected`);
      }
    }
  } else if (tool === 'terraform' || tool === 'tofu') {
    const chdir = args.find((a) => a.startsWith('-chdir='));
    const words = args.filter((a) => !a.startsWith('-'));
    if (words.length === 0) return [`${tool}: no subcommand`];
    // `providers mirror`, `state list`, ...: two-word subcommands
    const sub =
      ['providers', 'state', 'workspace'].includes(words[0]) && words[1] ? `${words[0]} ${words[1]}` : words[0];
    if (tool === 'terraform' && run('terraform', ['version']).status === 0) {
      const help = helpOf(`terraform ${sub}`, () => run('terraform', [...sub.split(' '), '-help']).stdout);
      if (!help.includes(`terraform [global options] ${sub}`)) problems.push(`terraform ${sub}: not a subcommand`);
      for (const f of args.filter((a) => a.startsWith('-') && a !== chdir)) {
        if (!known(f, help)) problems.push(`terraform ${sub}: unknown flag ${f}`);
      }
    }
    if (chdir && !PLACEHOLDER.test(chdir)) problems.push(...checkStackDir(chdir.slice('-chdir='.length)));
  } else if (tool === 'cd') {
    if (!PLACEHOLDER.test(args[0] ?? '')) problems.push(...checkStackDir(args[0] ?? ''));
  } else {
    problems.push(`'${tool}': a command the docs test does not know; add it to test/docs-commands.test.ts`);
  }
  return problems;
}

function checkStackDir(dir: string): string[] {
  const m = /^cdktf\.out\/stacks\/([^/]+)$/.exec(dir);
  if (!m) return [`${dir}: expected cdktf.out/stacks/<stack>`];
  return m[1] in defaultManifest() ? [] : [`${dir}: no such stack`];
}

describe('every documented shell command', () => {
  it('finds the commands of the docs', () => {
    expect(COMMANDS.length).toBeGreaterThan(10);
    expect(COMMANDS.map((c) => c.argv[0])).toEqual(expect.arrayContaining(['npm', 'npx']));
  });

  it.each(COMMANDS.map((c) => [`${c.where}: ${c.argv.join(' ')}`, c] as const))('%s', (_n, c) => {
    expect(check(c)).toEqual([]);
  });

  it('runs, in a scratch directory, the offline commands of the quick start and the checks', () => {
    const dir = tmpDir();
    const runnable = COMMANDS.filter(
      (c) =>
        c.argv[0] === 'npm' &&
        c.argv[1] === 'run' &&
        ['synth', 'verify', 'pipeline'].includes(c.argv[2]) &&
        !PLACEHOLDER.test(c.text) &&
        Object.keys(c.env).every((k) => k === 'CHECKPOINT_DISABLE'),
    );
    const scripts = runnable.map((c) => c.argv[2]);
    expect(scripts).toEqual(expect.arrayContaining(['synth', 'verify', 'pipeline']));
    // synth first: the others read its output
    const ordered = [...runnable].sort((a, b) => Number(b.argv[2] === 'synth') - Number(a.argv[2] === 'synth'));
    for (const c of ordered) {
      const module = launchModule(c.argv[2])!;
      const r = run(process.execPath, [path.join(ROOT, 'scripts', 'launch.js'), module, ...c.argv.slice(4)], {
        cwd: dir,
        env: c.env,
      });
      expect(`${c.where}: ${c.text} -> exit ${r.status}${r.status ? `\n${r.stderr}` : ''}`).toBe(
        `${c.where}: ${c.text} -> exit 0`,
      );
    }
  });
});

describe('the docs check catches wrong commands', () => {
  const cmd = (text: string) => docCommands('x.md', '```sh\n' + text + '\n```\n')[0];

  it.each([
    ["npx cdktf diff 'itzbund-ndb-1--*'", /takes exactly one stack name/],
    ["npx cdktf deploy '*--tenant-bmbsp'", /needs .*--platform.*which is not selected/],
    ["npx cdktf deploy 'nope--*'", /matches no stack/],
    ['npx cdktf deploy itzbund-ndb-1--platform --auto-aprove', /unknown flag --auto-aprove/],
    ['npx cdktf depoly x', /not a cdktf command/],
    ['npm run verfy -- cdktf.out', /no such script/],
    ['npm run verify -- --render-all cdktf.out', /unknown flag --render-all/],
    ['npm run synth cdktf.out', /arguments must follow/],
    ['kubectl apply -f x.yaml', /does not know/],
    ['cd cdktf.out/stacks/nope--platform', /no such stack/],
  ])('%s', (text, problem) => {
    expect(check(cmd(text)).join('\n')).toMatch(problem);
  });

  it('accepts a dependency-closed glob and the waiver flag', () => {
    expect(check(cmd("npx cdktf deploy 'itzbund-ndb-1--*'"))).toEqual([]);
    expect(check(cmd("npx cdktf deploy --ignore-missing-stack-dependencies '*--tenant-bmbsp'"))).toEqual([]);
  });

  it('joins continuation lines, splits && chains, and keeps env assignments apart', () => {
    const cs = docCommands('x.md', '```sh\nFOO=1 npm ci && npm run tenant:new -- --id a \\\n  --kind b # note\n```\n');
    expect(cs.map((c) => [c.env, c.argv])).toEqual([
      [{ FOO: '1' }, ['npm', 'ci']],
      [{}, ['npm', 'run', 'tenant:new', '--', '--id', 'a', '--kind', 'b']],
    ]);
  });
});

/**
 * `npm run bench`: synthesis time and peak memory of the default federation and of generated federations of 10,
 * 100 and 500 agencies, the verify command's time, the number of stacks and the resources of the largest stack; and
 * the same for a bare cdktf app with the same two providers and one namespace (the floor). Every app runs through
 * the cdktf.json app command (`node scripts/launch.js <module>`), the floor included, so the ratios compare like
 * with like. Synthesis is measured cold (`SYNTH_REUSE=off`: changed inputs) and, for the default federation, with
 * unchanged inputs (what `cdktf deploy`/`diff` pay when they synthesize again). Also: the `cdktf synth` CLI path
 * for the default federation and the floor, and the GitLab child pipeline for 500 agencies.
 * `--tests` also times `npm test`. Writes bench-results.json and prints a Markdown table.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CONFIG_FILE, projectRoot } from '../config/load';
import { readSynthesized } from '../policy/synthesized';
import { generateFederationYaml } from './generate-federation';
import { writePipeline } from './pipeline';

const ROOT = projectRoot();
const DIST = path.join(ROOT, 'dist');
/** The cdktf.json app command: `node scripts/launch.js <module>`. */
const LAUNCH = path.join(ROOT, 'scripts', 'launch.js');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

interface Run {
  readonly ms: number;
  readonly maxRssMb: number;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', path.join(DIST, 'scripts', 'bench-rss.js'), ...args], {
    env: { ...process.env, CHECKPOINT_DISABLE: '1', BENCH_RSS_FILE: rssFile, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const maxRssMb = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
  fs.rmSync(rssFile, { force: true });
  return { ms, maxRssMb };
}

/** Median of several runs (by time), to smooth out the machine's noise. */
function median(make: () => Run): Run {
  const runs = Array.from({ length: REPEAT }, make).sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)];
}

interface Row {
  readonly name: string;
  readonly agencies: number;
  readonly synth: Run;
  readonly verifyMs: number;
  readonly stacks: number;
  readonly largestStack: string;
  readonly largestStackResources: number;
}

function resourceCount(json: {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
}): number {
  const count = (m?: Record<string, Record<string, unknown>>) =>
    Object.values(m ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return count(json.resource) + count(json.data);
}

function measure(name: string, agencies: number, configFile: string, work: string): Row {
  const out = path.join(work, name);
  const synth = median(() =>
    run([LAUNCH, 'main'], { FEDERATION_CONFIG: configFile, CDKTF_OUTDIR: out, SYNTH_REUSE: 'off' }),
  );
  const verify = median(() => run([LAUNCH, 'app/verify', out]));
  const stacks = readSynthesized(out);
  const largest = stacks.map((s) => ({ name: s.name, n: resourceCount(s.json) })).sort((a, b) => b.n - a.n)[0];
  return {
    name,
    agencies,
    synth,
    verifyMs: verify.ms,
    stacks: stacks.length,
    largestStack: largest.name,
    largestStackResources: largest.n,
  };
}

/**
 * `verify --render` of the default federation over the chart mirror (CHART_MIRROR, or ../shared/charts): once
 * without and once with the render cache. Undefined where there is no mirror.
 */
function renderTiming(out: string): { coldMs: number; warmMs: number } | undefined {
  const mirror = process.env.CHART_MIRROR ?? path.resolve(ROOT, '..', 'shared', 'charts');
  if (!fs.existsSync(mirror)) return undefined;
  const gaps = process.env.OFFLINE_MIRROR_GAPS ?? OFFLINE_MIRROR_GAPS;
  const once = (cache: string) => {
    const start = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      [LAUNCH, 'app/verify', '--render', '--mirror', mirror, '--missing-ok', gaps, out],
      { env: { ...process.env, RENDER_CACHE: cache }, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`verify --render failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-render-'));
  const coldMs = once(cache);
  const warmMs = once(cache);
  fs.rmSync(cache, { recursive: true, force: true });
  return { coldMs, warmMs };
}

/** The charts the offline chart mirror of this workplace lacks (its README); .ci/run names the same. */
const OFFLINE_MIRROR_GAPS =
  'postgresql-external@0.0.44,sftd@0.135.0,coturn@4.6.2-federation-wireapp.47,webapp@0.8.0-pre.2699,team-settings@0.15.0,bundesmessenger@1.16.0';

/** Wall time of one `cdktf synth` through the CLI (it adds its own start-up and runs the app command). */
function cliSynth(app: string, out: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), 'synth', '--app', app, '--output', out],
    { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: '1', SYNTH_REUSE: 'off', CI: 'true' }, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`cdktf synth --app '${app}' failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const USAGE = `usage: npm run bench [-- --tests]

Synthesizes the default federation and generated federations of 10, 100 and 500 agencies through the cdktf.json
app command, compares them with a bare app, writes bench-results.json and prints the results as Markdown.
Exit 0 when every target is met, 1 when one is missed, 2 on a usage error.

  --tests   also time the whole test suite (npm test)
  --help    this text
  (BENCH_REPEAT=<n> sets the runs per figure; the median is reported, default 3)`;

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const unknown = args.filter((a) => a !== '--tests');
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown argument ${unknown[0]}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const floor = median(() => run([LAUNCH, 'scripts/bench-floor', path.join(work, 'floor')]));
  const rows: Row[] = [measure('default', 5, DEFAULT_CONFIG_FILE, work)];
  // Unchanged inputs: the output of the cold runs above is reused.
  const warm = median(() =>
    run([LAUNCH, 'main'], { FEDERATION_CONFIG: DEFAULT_CONFIG_FILE, CDKTF_OUTDIR: path.join(work, 'default') }),
  );
  for (const n of [10, 100, 500]) {
    const file = path.join(work, `federation-${n}.yaml`);
    fs.writeFileSync(file, generateFederationYaml(n));
    rows.push(measure(`${n} agencies`, n, file, work));
  }
  const pipelineStart = process.hrtime.bigint();
  const pipeline = writePipeline(path.join(work, '500 agencies'));
  const pipelineMs = Number(process.hrtime.bigint() - pipelineStart) / 1e6;
  const render = renderTiming(path.join(work, 'default'));
  const cli = {
    floor: cliSynth(`node ${LAUNCH} scripts/bench-floor`, path.join(work, 'cli-floor')),
    default: cliSynth(`node ${LAUNCH} main`, path.join(work, 'cli-default')),
  };
  let testsMs: number | undefined;
  if (process.argv.includes('--tests')) {
    const start = process.hrtime.bigint();
    const r = spawnSync('npm', ['test'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    testsMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`npm test failed:\n${r.stdout}\n${r.stderr}`);
  }
  const def = rows[0];
  const r10 = rows.find((r) => r.agencies === 10)!;
  const r500 = rows.find((r) => r.agencies === 500)!;
  const marginalMs = (r500.synth.ms - r10.synth.ms) / (500 - 10);
  const targets = [
    ['default federation, unchanged inputs, within 2x the floor', warm.ms / floor.ms, 2, 'x floor'],
    ['default federation synth within 3x the floor', def.synth.ms / floor.ms, 3, 'x floor'],
    ['500 agencies within 10x the default federation', r500.synth.ms / def.synth.ms, 10, 'x default'],
    ['500 agencies under 1.5 GiB peak memory', r500.synth.maxRssMb, 1536, 'MiB'],
    ['marginal cost per agency under 20 ms', marginalMs, 20, 'ms'],
    ['verify of 500 agencies under 2 s', r500.verifyMs, 2000, 'ms'],
    ['no stack above 400 resources at 500 agencies', r500.largestStackResources, 400, 'resources'],
    ['GitLab child pipeline for 500 agencies under 2 s', pipelineMs, 2000, 'ms'],
    ...(render
      ? [['render + checks of the default federation under 10 s (no cache)', render.coldMs / 1000, 10, 's']]
      : []),
    ...(testsMs !== undefined ? [['whole test suite under 90 s', testsMs / 1000, 90, 's']] : []),
  ] as Array<[string, number, number, string]>;
  const f = (n: number, d = 0) => n.toFixed(d);
  const lines = [
    `Measured on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${f(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, median of ${REPEAT} runs.`,
    '',
    '| federation | stacks | largest stack (resources) | synth ms | x floor | peak MiB | x floor | verify ms | x floor |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| floor (bare app, 2 providers, 1 namespace) | 1 | floor (1) | ${f(floor.ms)} | 1.0 | ${f(floor.maxRssMb)} | 1.0 | - | - |`,
    `| default, unchanged inputs (output kept) | ${def.stacks} | - | ${f(warm.ms)} | ${f(warm.ms / floor.ms, 1)} | ${f(warm.maxRssMb)} | ${f(warm.maxRssMb / floor.maxRssMb, 1)} | - | - |`,
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.stacks} | ${r.largestStack} (${r.largestStackResources}) | ${f(r.synth.ms)} | ${f(r.synth.ms / floor.ms, 1)} | ${f(r.synth.maxRssMb)} | ${f(r.synth.maxRssMb / floor.maxRssMb, 1)} | ${f(r.verifyMs)} | ${f(r.verifyMs / floor.ms, 1)} |`,
    ),
    '',
    `Marginal synth cost per agency (10 -> 500): ${f(marginalMs, 1)} ms. GitLab child pipeline for 500 agencies (${pipeline.jobs} jobs): ${f(pipelineMs)} ms.${testsMs !== undefined ? ` Whole test suite (npm test): ${f(testsMs / 1000, 1)} s.` : ''}`,
    ...(render
      ? [
          `verify --render of the default federation (${'`'}helm template${'`'} of every release, checks, reports): ${f(render.coldMs)} ms without the render cache, ${f(render.warmMs)} ms with it.`,
        ]
      : []),
    `Through the cdktf CLI (\`cdktf synth\`, one run each, the CLI's own start-up included): floor ${f(cli.floor)} ms, default federation ${f(cli.default)} ms (${f(cli.default / cli.floor, 1)} x).`,
    '',
    '| target | measured | limit | met |',
    '| --- | --- | --- | --- |',
    ...targets.map(
      ([t, v, limit, unit]) =>
        `| ${t} | ${f(v, v < 10 ? 2 : 0)} ${unit} | ${limit} ${unit} | ${v <= limit ? 'yes' : '**no**'} |`,
    ),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  fs.writeFileSync(
    path.join(ROOT, 'bench-results.json'),
    JSON.stringify({ floor, warm, rows, marginalMs, pipelineMs, render, cli, testsMs, targets }, null, 2) + '\n',
  );
  fs.rmSync(work, { recursive: true, force: true });
  process.exitCode = targets.every(([, v, limit]) => v <= limit) ? 0 : 1;
}

main();

#!/usr/bin/env node
/*
 * The fast path for every command that runs project code (`cdktf synth|deploy` through cdktf.json, `npm run
 * synth|verify|pipeline|...`): `node scripts/launch.js <module> [args...]` runs `dist/<module>.js` after a
 * freshness check instead of a full `tsc` build.
 *
 * - Type checking belongs to `npm test` (`tsc`, strict); here every TypeScript source whose size or modification
 *   time differs from the last run is transpiled on its own (`ts.transpileModule`, which the project's
 *   `isolatedModules: true` makes equivalent to tsc's output). Nothing changed: no TypeScript is loaded at all.
 * - The stamp `dist/.launch-stamp.json` records size and mtime of each source and the compiler options it was
 *   built with. Each output is written to a temporary file and renamed, so two runs at once never see half a file.
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.launch-stamp.json');
/** The sources an app command may load (tests are compiled by jest and `npm test`, not here). */
const SOURCE_DIRS = ['app', 'config', 'constructs', 'stacks', 'policy', 'scripts'];
const SOURCE_FILES = ['main.ts'];

function sources() {
  const out = SOURCE_FILES.filter((f) => fs.existsSync(path.join(ROOT, f)));
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(ROOT, d))) walk(d);
  return out.sort();
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const outputOf = (rel) => path.join(DIST, rel.replace(/\.ts$/, '.js'));

function writeAtomic(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Transpiles what changed since the last run; returns the number of files transpiled. */
function freshen() {
  const tsconfigText = fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8');
  const stamp = readJson(STAMP);
  const sameOptions = stamp && stamp.tsconfig === tsconfigText;
  const files = {};
  const stale = [];
  for (const rel of sources()) {
    const st = fs.statSync(path.join(ROOT, rel));
    files[rel] = `${st.size}:${st.mtimeMs}`;
    if (!sameOptions || stamp.files[rel] !== files[rel] || !fs.existsSync(outputOf(rel))) stale.push(rel);
  }
  if (stale.length === 0) return 0;
  const ts = require('typescript');
  const parsed = ts.parseJsonConfigFileContent(
    ts.parseConfigFileTextToJson('tsconfig.json', tsconfigText).config,
    ts.sys,
    ROOT,
  );
  const compilerOptions = { ...parsed.options, noEmit: false, declaration: false, incremental: false };
  for (const rel of stale) {
    const fileName = path.join(ROOT, rel);
    const out = ts.transpileModule(fs.readFileSync(fileName, 'utf8'), {
      compilerOptions,
      fileName,
      reportDiagnostics: false,
    });
    const js = outputOf(rel);
    writeAtomic(js, out.outputText);
    if (out.sourceMapText) writeAtomic(`${js}.map`, out.sourceMapText);
  }
  writeAtomic(STAMP, JSON.stringify({ tsconfig: tsconfigText, files }));
  return stale.length;
}

const USAGE =
  'usage: node scripts/launch.js <module> [args...]   (module relative to the repository, e.g. main, app/verify)';

function main() {
  const [target, ...args] = process.argv.slice(2);
  if (!target || target === '--help' || target === '-h') {
    (target ? process.stdout : process.stderr).write(`${USAGE}\n`);
    process.exitCode = target ? 0 : 2;
    return;
  }
  if (!fs.existsSync(path.join(ROOT, `${target}.ts`))) {
    process.stderr.write(`launch: no module '${target}' (looked for ${target}.ts in ${ROOT})\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  freshen();
  const file = outputOf(`${target}.ts`);
  // Run the module as the main module, as `node dist/<module>.js` would (so `require.main === module` holds).
  process.argv = [process.argv[0], file, ...args];
  Module._load(file, null, true);
}

if (require.main === module) main();
module.exports = { freshen, sources };

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { childPipeline, PIPELINE_FILE } from '../scripts/pipeline';
import { ROOT, tmpDir } from './helpers';

describe('CI', () => {
  it('.ci/run runs exactly the README commands', () => {
    const commands = fs
      .readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(
        (l) => l && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd ') && !l.startsWith('export '),
      );
    // every command CI runs is one the README gives its readers (the mirror's path and gaps written generically)
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const generic = (c: string) =>
      c
        .replace(/^if \[ -d [^\]]+ \]; then (.*); fi$/, '$1')
        .replace('CHART_MIRROR=../shared/charts', 'CHART_MIRROR=<dir>')
        .replace('"$OFFLINE_MIRROR_GAPS"', '<chart@version,...>');
    expect(commands.length).toBeGreaterThanOrEqual(4);
    expect(commands.map(generic).filter((c) => !readme.includes(c))).toEqual([]);
    // and the ones a clean clone needs, in this order: install, test, synthesize, verify
    expect(commands.slice(0, 4)).toEqual(['npm ci', 'npm test', 'npm run synth', 'npm run verify -- cdktf.out']);
  });

  describe('the GitLab CI pipeline', () => {
    const text = fs.readFileSync(path.join(ROOT, '.gitlab-ci.yml'), 'utf8');
    const ci = parse(text);
    const lines = (job: string) => ci[job].script as string[];
    const script = (job: string) => lines(job).join('\n');

    it('tests, synthesizes with a diff, verifies, generates the deploy pipeline and triggers it', () => {
      expect(ci.stages).toEqual(['test', 'synth', 'verify', 'pipeline', 'deploy']);
      expect(ci.variables.CHECKPOINT_DISABLE).toBe('1');
      expect(script('test')).toMatch(/npm ci[\s\S]*npm test/);
      expect(script('synth')).toMatch(/npm run synth[\s\S]*diff -ru/);
      expect(ci.synth.artifacts.paths).toContain('cdktf.out/');

      expect(ci.verify.needs).toEqual(['synth']);
      expect(lines('verify')).toContain('npm run verify -- cdktf.out');
      // rendering the charts needs a chart mirror: only then
      const render = lines('verify').filter((l) => l.includes('--render'));
      expect(render).toEqual([
        'if [ -n "$CHART_MIRROR" ]; then npm run verify -- --render ${CHART_MIRROR_MISSING_OK:+--missing-ok "$CHART_MIRROR_MISSING_OK"} cdktf.out; fi',
      ]);

      expect(ci.pipeline.stage).toBe('pipeline');
      expect(lines('pipeline')).toContain('npm run pipeline -- --require-remote-state cdktf.out');
      expect(ci.pipeline.needs).toEqual([{ job: 'synth' }, { job: 'verify', artifacts: false }]);
      expect(ci.pipeline.artifacts.paths).toEqual([`cdktf.out/${PIPELINE_FILE}`]);

      expect(ci.deploy.stage).toBe('deploy');
      expect(ci.deploy.needs).toEqual(['pipeline']);
      expect(ci.deploy.trigger).toEqual({
        include: [{ artifact: `cdktf.out/${PIPELINE_FILE}`, job: 'pipeline' }],
        strategy: 'depend',
      });
      expect(ci.deploy.variables).toEqual({ PARENT_PIPELINE_ID: '$CI_PIPELINE_ID' });
      expect(ci.deploy.script).toBeUndefined();
    });

    it("hands the child pipeline the synth job's output under the name the child asks for", () => {
      const child = childPipeline({
        stacks: { a: { workingDirectory: 'stacks/a', synthesizedStackPath: 'stacks/a/cdk.tf.json', dependencies: [] } },
      }) as Record<string, { needs?: unknown; variables?: Record<string, string> }>;
      expect(child['.plan'].needs).toEqual([{ pipeline: '$PARENT_PIPELINE_ID', job: 'synth' }]);
      expect(ci.synth.stage).toBe('synth');
      expect(child['plan:a'].variables?.STACK_DIR).toBe('cdktf.out/stacks/a');
    });

    it('uses only its own data: no reference directory beside the repository', () => {
      expect(text).not.toContain('../shared');
      expect(text).not.toContain('MESSENGER_REFERENCE_DIR');
    });

    it('deploys only a configured federation, from the default branch, after verify', () => {
      expect(ci.pipeline.rules).toEqual([{ if: '$FEDERATION_CONFIG' }]);
      expect(ci.deploy.rules).toEqual([{ if: '$FEDERATION_CONFIG && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    });

    it('synth fails without a FEDERATION_CONFIG file unless the example federation is allowed', () => {
      const guard = lines('synth').find((l) => l.includes('ALLOW_EXAMPLE_FEDERATION'))!;
      expect(lines('synth').indexOf(guard)).toBeLessThan(lines('synth').indexOf('npm run synth'));
      const run = (env: Record<string, string>) =>
        spawnSync('sh', ['-c', guard], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });

      const unset = run({});
      expect(unset.status).toBe(1);
      expect(unset.stderr).toMatch(/FEDERATION_CONFIG is not set: add a CI\/CD variable of type File/);
      expect(run({ ALLOW_EXAMPLE_FEDERATION: '1' }).status).toBe(0);
      expect(run({ ALLOW_EXAMPLE_FEDERATION: 'yes' }).status).toBe(1);

      // a variable of type File: GitLab sets it to the path of a file that holds the value
      const file = path.join(tmpDir(), 'FEDERATION_CONFIG');
      fs.writeFileSync(file, 'federation:\n  name: x\n');
      expect(run({ FEDERATION_CONFIG: file }).status).toBe(0);
      // a plain variable holds the YAML itself
      const plain = run({ FEDERATION_CONFIG: 'federation:\n  name: x\n' });
      expect(plain.status).toBe(1);
      expect(plain.stderr).toMatch(/FEDERATION_CONFIG is not a file: make it a CI\/CD variable of type File/);
    });
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './helpers';

describe('CI', () => {
  it('.ci/run runs exactly the README commands', () => {
    const commands = fs
      .readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(
        (l) => l && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd ') && !l.startsWith('export '),
      );
    expect(commands).toEqual(['npm ci', 'npm test', 'npm run synth', 'npm run verify -- cdktf.out']);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toMatch(/^npm test /m);
    expect(readme).toContain('npm run verify -- cdktf.out');
  });

  it('the GitLab CI example installs, tests, synthesizes with a diff, and verifies', () => {
    const ci = parse(fs.readFileSync(path.join(ROOT, '.gitlab-ci.yml'), 'utf8'));
    const script = (job: string) => (ci[job].script as string[]).join('\n');
    expect(ci.stages).toEqual(['test', 'synth', 'verify']);
    expect(script('test')).toMatch(/npm ci[\s\S]*npm test/);
    expect(script('synth')).toMatch(/npm run synth[\s\S]*diff -ru/);
    expect(script('verify')).toContain('npm run verify -- cdktf.out');
    expect(ci.verify.needs).toEqual(['synth']);
    expect(ci.variables.CHECKPOINT_DISABLE).toBe('1');
  });
});

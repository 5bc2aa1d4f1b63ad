/**
 * What Terraform/OpenTofu get besides the resources: state backends (locked, encrypted) and, for air-gapped
 * sites, a CLI config that installs the pinned providers from a mirror only.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatPath } from '../config/errors';
import { synthFederation } from '../app/pipeline';
import { TERRAFORM_CLI_CONFIG_FILE } from '../stacks/terraform-cli-config';
import { field, isRecord, valueAt } from '../policy/synthesized-view';
import { configIssues, defaultFederation, issueAt, replaceOnce, ROOT, synthesizeInMemory, tmpDir } from './helpers';

const withBackend = (backend: string) => (y: string) =>
  replaceOnce(y, 'stateBackend:\n  type: local\n', `stateBackend:\n${backend}`);
const withTerraform = (block: string) => (y: string) =>
  replaceOnce(y, 'stateBackend:\n  type: local\n', `stateBackend:\n  type: local\nterraform:\n${block}`);

/** The `terraform.backend` block of every stack (all stacks share one backend kind). */
function backends(edit: (y: string) => string): unknown[] {
  return synthesizeInMemory(defaultFederation(edit)).map((s) => field(s.json.terraform, 'backend'));
}

describe('state backends', () => {
  const s3 = '  type: s3\n  bucket: tfstate\n  endpoint: https://minio.itzbund.example:9000\n';

  it('s3: encrypted and locked with a lock file by default, one key per stack', () => {
    const all = backends(withBackend(s3));
    expect(all).toHaveLength(12);
    for (const b of all) {
      expect(field(b, 's3')).toMatchObject({
        bucket: 'tfstate',
        encrypt: true,
        use_lockfile: true,
        use_path_style: true,
      });
      expect(valueAt(b, 's3.key')).toMatch(/^bund-messenger\/[a-z0-9-]+--[a-z0-9-]+\.tfstate$/);
    }
    expect(new Set(all.map((b) => valueAt(b, 's3.key'))).size).toBe(12);
  });

  it('s3: encryption and locking can be turned off only explicitly', () => {
    const [b] = backends(withBackend(`${s3}  encrypt: false\n  useLockfile: false\n`));
    expect(field(b, 's3')).toMatchObject({ encrypt: false, use_lockfile: false });
  });

  it('s3: the endpoint is https (the state holds service secrets), with file:line', () => {
    const i = issueAt(
      withBackend('  type: s3\n  bucket: tfstate\n  endpoint: http://minio.itzbund.example:9000\n'),
      'stateBackend.endpoint',
    );
    expect(i.message).toMatch(/must be an https:\/\/ URL: the state holds the service secrets/);
    expect(i.line).toBeGreaterThan(0);
  });

  it('pg: no connection string in the JSON (PG_CONN_STR), one schema per stack', () => {
    const all = backends(withBackend('  type: pg\n'));
    for (const b of all) {
      expect(isRecord(b) ? Object.keys(b) : b).toEqual(['pg']);
      expect(field(b, 'pg')).not.toHaveProperty('conn_str');
    }
    expect(new Set(all.map((b) => valueAt(b, 'pg.schema_name'))).size).toBe(12);
  });
});

describe('provider mirror for air-gapped sites', () => {
  it('rejects a relative path, a URL without a trailing slash or with credentials, with file:line', () => {
    const at = (edit: (y: string) => string) =>
      configIssues(edit).map((i) => `${formatPath(i.path)} ${i.line ? 'line' : 'no-line'}: ${i.message}`);
    expect(at(withTerraform('  providerMirror: { type: filesystem, path: providers }\n'))).toEqual([
      expect.stringMatching(/^terraform\.providerMirror\.path line: path must be an absolute directory path/),
    ]);
    expect(at(withTerraform('  providerMirror: { type: network, url: "https://mirror.example/providers" }\n'))).toEqual(
      [expect.stringMatching(/^terraform\.providerMirror\.url line: url must be an https:\/\/ URL .* ending in '\/'/)],
    );
    expect(
      at(withTerraform('  providerMirror: { type: network, url: "https://u:p@mirror.example/providers/" }\n')),
    ).toEqual([expect.stringMatching(/^terraform\.providerMirror\.url line: /)]);
  });

  it('writes terraform.rc only when a mirror is configured: mirror only, no direct installation', () => {
    const dir = tmpDir();
    synthFederation(defaultFederation(), path.join(dir, 'plain'));
    expect(fs.existsSync(path.join(dir, 'plain', TERRAFORM_CLI_CONFIG_FILE))).toBe(false);
    synthFederation(
      defaultFederation(withTerraform('  providerMirror: { type: network, url: "https://tf.itzbund.example/p/" }\n')),
      path.join(dir, 'net'),
    );
    const rc = fs.readFileSync(path.join(dir, 'net', TERRAFORM_CLI_CONFIG_FILE), 'utf8');
    expect(rc).toContain('network_mirror {\n    url     = "https://tf.itzbund.example/p/"');
    expect(rc).toContain('"registry.terraform.io/hashicorp/kubernetes"');
    expect(rc).toContain('"registry.opentofu.org/hashicorp/helm"');
    expect(rc).not.toMatch(/\bdirect\s*\{/);
  });

  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  const withTerraformCli = terraform.status === 0 ? it : it.skip;
  if (terraform.status !== 0) process.stdout.write('skipped: no terraform on PATH for the provider-mirror init test\n');

  withTerraformCli('terraform init with the written CLI config asks the mirror and never a registry', () => {
    const dir = tmpDir();
    const mirror = path.join(dir, 'mirror');
    fs.mkdirSync(mirror);
    const out = path.join(dir, 'out');
    synthFederation(defaultFederation(withTerraform(`  providerMirror: { type: filesystem, path: ${mirror} }\n`)), out);
    const r = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], {
      cwd: path.join(out, 'stacks', 'itzbund-ndb-1--platform'),
      env: { ...process.env, TF_CLI_CONFIG_FILE: path.join(out, TERRAFORM_CLI_CONFIG_FILE), CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const text = (r.stdout + r.stderr).replace(/\s+/g, ' '); // Terraform wraps its messages
    // The empty mirror has no providers: init fails, naming the mirror as the only place it looked.
    expect(r.status).not.toBe(0);
    for (const p of ['kubernetes', 'helm']) {
      expect(text).toMatch(
        new RegExp(
          `provider registry\\.terraform\\.io/hashicorp/${p} was not found in any of the search locations - ${mirror}`,
        ),
      );
    }
    expect(text).not.toMatch(/Failed to request discovery document|could not connect to registry|no such host/i);
  });

  it('the README names the provider versions the stacks pin', () => {
    const pinned = field(synthesizeInMemory(defaultFederation())[0].json.terraform, 'required_providers');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`hashicorp/kubernetes ${String(valueAt(pinned, 'kubernetes.version'))}`);
    expect(readme).toContain(`hashicorp/helm ${String(valueAt(pinned, 'helm.version'))}`);
  });
});

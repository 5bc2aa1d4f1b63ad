import { createHash } from 'node:crypto';
import { LocalBackend, PgBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { StateBackendConfig } from '../config/schema';

/**
 * Configures where a stack keeps its Terraform state. Credentials never come from the config:
 * - local: `terraform.<stack>.tfstate` next to the output directory (`<outdir>/../`), outside it, so that a new
 *   synth, which replaces the output directory, never deletes state (the default);
 * - pg: one schema per stack; Terraform reads the connection string from PG_CONN_STR;
 * - s3: an S3-compatible store (on-premise MinIO); Terraform reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
 *   Encrypted at rest (`encrypt`) and locked with a lock object beside the state (`use_lockfile`) unless the config
 *   turns them off; the state holds the services' secrets.
 * The pg backend locks by itself (a PostgreSQL advisory lock per state), so two applies never run on one state.
 */
export function applyStateBackend(stack: TerraformStack, stackName: string, cfg: StateBackendConfig): void {
  switch (cfg.type) {
    case 'local':
      // Terraform runs in <outdir>/stacks/<stack>: three levels up is the directory that holds the output.
      new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
      return;
    case 'pg': {
      const backend = new PgBackend(stack, {
        connStr: '',
        schemaName: pgSchemaName(cfg.schemaPrefix, stackName),
      });
      // No conn_str in the JSON: Terraform takes it from PG_CONN_STR, so it never lands in the repo or the output.
      backend.addOverride('conn_str', undefined);
      return;
    }
    case 's3': {
      const backend = new S3Backend(stack, {
        bucket: cfg.bucket,
        key: `${cfg.keyPrefix}/${stackName}.tfstate`,
        region: cfg.region,
        endpoints: { s3: cfg.endpoint },
        usePathStyle: true,
        skipCredentialsValidation: true,
        skipRegionValidation: true,
        skipRequestingAccountId: true,
        skipMetadataApiCheck: true,
        skipS3Checksum: true,
        encrypt: cfg.encrypt,
      });
      // cdktf 0.21's S3BackendConfig predates `use_lockfile` (Terraform 1.10): set it on the JSON directly.
      backend.addOverride('use_lockfile', cfg.useLockfile);
      return;
    }
  }
}

/** `<prefix>_<stack>` as a PostgreSQL identifier (max 63 characters); a hash keeps truncated names apart. */
export function pgSchemaName(prefix: string, stackName: string): string {
  const name = `${prefix}_${stackName.replace(/-/g, '_')}`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 54)}_${hash}`;
}

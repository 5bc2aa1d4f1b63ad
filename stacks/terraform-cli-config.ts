/**
 * The Terraform/OpenTofu CLI configuration an air-gapped site needs: providers are installed from the configured
 * mirror and from nowhere else (no `direct` block, so the public registries are never asked). Synth writes it to
 * `<outdir>/terraform.rc`; point `TF_CLI_CONFIG_FILE` at it (both Terraform and OpenTofu read that variable).
 */
import type { ProviderMirrorConfig } from '../config/schema';

export const TERRAFORM_CLI_CONFIG_FILE = 'terraform.rc';

/**
 * The provider addresses the synthesized stacks require, as both CLIs resolve them (Terraform:
 * registry.terraform.io, OpenTofu: registry.opentofu.org; the stacks name the providers without a host).
 */
export const MIRRORED_PROVIDERS = [
  'registry.terraform.io/hashicorp/kubernetes',
  'registry.terraform.io/hashicorp/helm',
  'registry.opentofu.org/hashicorp/kubernetes',
  'registry.opentofu.org/hashicorp/helm',
] as const;

/** The CLI config text. The schema allows only characters that need no escaping in an HCL string. */
export function terraformCliConfig(mirror: ProviderMirrorConfig): string {
  const where =
    mirror.type === 'filesystem'
      ? [`  filesystem_mirror {`, `    path    = "${mirror.path}"`]
      : [`  network_mirror {`, `    url     = "${mirror.url}"`];
  return [
    '# Written by synth from terraform.providerMirror in the federation config. Use it with',
    '#   export TF_CLI_CONFIG_FILE="$PWD/cdktf.out/terraform.rc"   (Terraform and OpenTofu)',
    '# Providers come from this mirror only; there is no direct installation from a registry.',
    'provider_installation {',
    ...where,
    `    include = [${MIRRORED_PROVIDERS.map((p) => `"${p}"`).join(', ')}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

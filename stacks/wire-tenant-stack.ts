import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { TenantConfig } from '../config/schema';
import type { Federation, WirePillar } from '../config/model';
import { GuardedNamespace } from '../constructs/guarded-namespace';
import { HelmChart } from '../constructs/helm-chart';
import { Peer } from '../constructs/peer';
import { WIRE_CHARTS } from '../constructs/wire/chart-versions';
import { LDAP_SCIM_BRIDGE_SECRETS, ldapScimBridgeValues } from '../constructs/wire/values';
import { zoneCluster } from './cluster-scope';
import { StackNames } from './naming';
import { applyStateBackend } from './state-backend';

/**
 * What an agency owns on the cluster of a Wire Bund pillar: its team's ldap-scim-bridge (if it declares an LDAP
 * directory) and the list of what it still must do outside this tool.
 */
export class WireTenantStack extends TerraformStack {
  constructor(scope: Construct, federation: Federation, tenant: TenantConfig, pillar: WirePillar) {
    const name = StackNames.tenant(pillar.cluster.id, tenant.id);
    super(scope, name);
    applyStateBackend(this, name, federation.stateBackend);
    const cluster = zoneCluster(this, pillar.cluster);
    const ldap = tenant.wire?.ldap;
    if (ldap) {
      const ns = new GuardedNamespace(this, 'namespace', {
        cluster,
        name: `tenant-${tenant.id}-${pillar.id}`.slice(0, 63),
        service: 'wire-ldap-scim-bridge',
        pillar: pillar.pillar,
        tenant: tenant.id,
        allowFromIngressController: false,
      });
      // to spar's SCIM API in the pillar namespace, and to the agency's directory inside the zone
      ns.allowTo(Peer.namespace(pillar.id, { 'app.kubernetes.io/name': 'spar' }), { ports: [{ port: 8080 }] });
      ns.allowTo(Peer.ipBlocks('zone-ldap', pillar.cluster.zone.cidrs), { ports: [{ port: ldap.port }] });
      new HelmChart(this, 'ldap-scim-bridge', {
        name: 'ldap-scim-bridge',
        namespace: ns,
        chart: 'ldap-scim-bridge',
        repository: federation.chartRepositories.stable,
        version: WIRE_CHARTS['ldap-scim-bridge'].version,
        values: ldapScimBridgeValues(ldap, pillar.id),
        secrets: LDAP_SCIM_BRIDGE_SECRETS,
        secretName: ldap.existingSecret,
      });
    }
    const todo = [
      `Auftragsverarbeitungsvertrag (AVV) with ${pillar.operator.name}, operator of Wire Bund Säule ${pillar.pillar}`,
      `DNS: let ${tenant.domain} users reach https://webapp.${pillar.domain} and https://nginz-https.${pillar.domain} in zone ${pillar.cluster.zone.id}`,
      ...(ldap
        ? [
            `Create Secret '${ldap.existingSecret}' (ldap-password, scim-token) in namespace tenant-${tenant.id}-${pillar.id}`,
          ]
        : []),
      ...(pillar.pillar === 1 ? ['Use only VS-NfD-approved devices for Säule 1 (up to VS-NfD)'] : []),
    ];
    new TerraformOutput(this, 'agency_todo', { value: todo, description: `what ${tenant.name} still must do` });
    new TerraformOutput(this, 'team', {
      value: { tenant: tenant.id, pillar: pillar.pillar, backend: pillar.federationDomain },
    });
  }
}

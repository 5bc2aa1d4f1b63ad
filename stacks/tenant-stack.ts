import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { MatrixProduct } from '../config/domain';
import type { Cluster, Federation, Tenant, WirePillar, Zone } from '../config/model';
import { resolvedTenant } from '../config/resolve';
import type { MatrixServerConfig, TenantConfig } from '../config/schema';
import { wellKnownDnsEntry } from '../constructs/facts';
import { GuardedNamespace } from '../constructs/guarded-namespace';
import { HelmChart } from '../constructs/helm-chart';
import { MatrixHomeserver } from '../constructs/matrix/matrix-homeserver';
import type { MatrixServerSpec } from '../constructs/matrix/spec';
import { WellKnownDelegation } from '../constructs/matrix/well-known-delegation';
import { Peer } from '../constructs/peer';
import { LDAP_SCIM_BRIDGE } from '../constructs/charts/ldap-scim-bridge';
import { WIRE_CHARTS } from '../constructs/wire/chart-versions';
import { ldapScimBridgeValues } from '../constructs/wire/values';
import type { ZoneCluster } from '../constructs/zone-cluster';
import { zoneCluster } from './cluster-scope';
import { StackNames } from './naming';
import { applyStateBackend } from './state-backend';
import { Namespaces } from '../config/naming';
import { issueDate } from '../policy/report/provenance';

/** What one agency owns on one cluster. */
export interface TenantParts {
  readonly wirePillars: readonly WirePillar[];
  readonly bundesMessenger?: MatrixServerConfig;
  readonly bwMessenger?: MatrixServerConfig;
  /** SaaS: serve `.well-known/matrix` for the agency's domain here. */
  readonly wellKnown?: { readonly homeserverUrl: string; readonly serverName: string };
}

function matrixSpec(
  tenant: TenantConfig,
  product: MatrixProduct,
  cfg: MatrixServerConfig,
  cluster: Cluster,
): MatrixServerSpec {
  return {
    product,
    tenant: tenant.id,
    serverName: cfg.serverName,
    publicServerName: cfg.publicServerName,
    adminApiServerName: cfg.adminApiServerName,
    webClientHost: cfg.webClientHost ?? `web.${cfg.serverName}`,
    privacyPolicyUrl: cfg.privacyPolicyUrl,
    imprintUrl: cfg.imprintUrl,
    postgresql: cfg.postgresql,
    privacy: cfg.privacy,
    federation: cfg.federation,
    virusScanning: cfg.virusScanning,
    push: cfg.push,
    turn: cluster.zone.turn,
    identity: cfg.identity,
    tlsIssuer: cluster.pki ? { name: cluster.pki.issuerName, kind: cluster.pki.issuerKind } : undefined,
  };
}

/** Zones of the servers a Matrix server federates with, when they lie outside its own zone. */
function remotePeers(federation: Federation, cfg: MatrixServerConfig, cluster: Cluster) {
  if (cfg.federation.mode !== 'allowList') return [];
  // Every Matrix server of the federation by name (names are unique), with the zone it is in.
  const zones = new Map<string, Zone | undefined>();
  for (const t of federation.tenants.map((x) => resolvedTenant(federation, x))) {
    for (const server of [t.bundesMessengerService, t.bwMessengerService])
      if (server && !zones.has(server.config.serverName)) zones.set(server.config.serverName, server.zone);
  }
  return cfg.federation.servers.flatMap((serverName) => {
    const zone = zones.get(serverName);
    return zone && zone.id !== cluster.zone.id ? [{ zone: zone.id, cidrs: zone.cidrs, serverName }] : [];
  });
}

/**
 * Everything one agency owns on one cluster: its Wire teams' ldap-scim-bridges, its self-hosted BundesMessenger or
 * BwMessenger, the `.well-known/matrix` delegation of a SaaS agency; and what it still must do, as outputs.
 */
export class TenantStack extends TerraformStack {
  readonly cluster: ZoneCluster;

  constructor(scope: Construct, federation: Federation, tenant: Tenant, cluster: Cluster, parts: TenantParts) {
    const name = StackNames.tenant(cluster.id, tenant.id);
    super(scope, name);
    applyStateBackend(this, name, federation.stateBackend);
    this.cluster = zoneCluster(this, cluster);
    const todo: string[] = [];
    const ldap = tenant.wire?.ldap;
    for (const pillar of parts.wirePillars) {
      if (ldap) {
        const ns = new GuardedNamespace(this, `ldap-${pillar.id}`, {
          cluster: this.cluster,
          name: Namespaces.ldapBridge(tenant.id, pillar.id),
          service: 'wire-ldap-scim-bridge',
          pillar: pillar.pillar,
          tenant: tenant.id,
          allowFromIngressController: false,
          podSecurity: {
            level: 'baseline',
            reason:
              'the ldap-scim-bridge chart 5.32 sets no securityContext on its CronJob and takes none from values; the namespace holds nothing else',
            restrictedExcept: ['CronJob/ldap-scim-bridge'],
          },
        });
        // to spar's SCIM API in the pillar namespace, and to the agency's directory inside the zone
        ns.allowTo(Peer.namespace(pillar.id, { app: 'spar' }), { ports: [{ port: 8080 }] });
        ns.allowTo(Peer.ipBlocks('zone-ldap', cluster.zone.cidrs), { ports: [{ port: ldap.port }] });
        new HelmChart(this, `ldap-scim-bridge-${pillar.id}`, {
          name: 'ldap-scim-bridge',
          namespace: ns,
          chart: 'ldap-scim-bridge',
          repository: federation.chartRepositories.stable,
          version: WIRE_CHARTS['ldap-scim-bridge'].version,
          values: ldapScimBridgeValues(ldap, pillar.id),
          secrets: LDAP_SCIM_BRIDGE.secrets,
          secretName: ldap.existingSecret,
          images: { chart: LDAP_SCIM_BRIDGE.images, settings: federation.config.images },
        });
        todo.push(`Create Secret '${ldap.existingSecret}' (ldap-password, scim-token) in namespace ${ns.name}`);
      }
      todo.push(
        ...missingAvv(tenant, pillar.operator, `operator of Wire Bund Säule ${pillar.pillar}`),
        `DNS: let ${tenant.domain} users reach https://webapp.${pillar.domain} and https://nginz-https.${pillar.domain} in zone ${cluster.zone.id}`,
        ...(pillar.pillar === 1 && !tenant.dataProtection?.vsNfdApprovedDevices
          ? [
              'Use only VS-NfD-approved devices for Säule 1 (up to VS-NfD) and declare it (dataProtection.vsNfdApprovedDevices)',
            ]
          : []),
      );
    }
    for (const [product, cfg] of [
      ['bundesmessenger', parts.bundesMessenger],
      ['bwmessenger', parts.bwMessenger],
    ] as const) {
      if (!cfg) continue;
      const spec = matrixSpec(tenant, product, cfg, cluster);
      new MatrixHomeserver(this, product, {
        cluster: this.cluster,
        spec,
        chartRepository: federation.config.matrix.chartRepository,
        images: federation.config.images,
        remotePeers: remotePeers(federation, cfg, cluster),
      });
      todo.push(
        `DNS: ${cfg.serverName}, ${cfg.publicServerName}, ${cfg.adminApiServerName} and ${spec.webClientHost} -> load balancer of ${cluster.ingressController.namespace} in zone ${cluster.zone.id} (the chart serves ${cfg.serverName}/.well-known/matrix, delegating to ${cfg.publicServerName})`,
        ...(spec.tlsIssuer
          ? []
          : [
              `Create TLS Secrets ${product}-tls (${cfg.publicServerName}, ${cfg.serverName}), ${product}-admin-tls and ${product}-web-tls in that namespace: cluster '${cluster.id}' names no cert-manager issuer (clusters[].pki)`,
            ]),
        `Create Secret '${cfg.postgresql.existingSecret}' (${cfg.postgresql.existingSecretPasswordKey}) in namespace ${product === 'bundesmessenger' ? 'bum' : 'bwm'}-${tenant.id}`,
        ...(spec.turn ? [`Create Secret '${spec.turn.existingSecret}' (turn-shared-secret) in that namespace`] : []),
        ...(spec.identity
          ? [
              `Register the client '${spec.identity.clientId}' at ${spec.identity.issuer} with redirect URI https://${cfg.publicServerName}/_synapse/client/oidc/callback, and create Secret '${spec.identity.existingSecret}' (client-secret) in that namespace`,
            ]
          : ['No sign-in configured (identity): accounts can only be created through the admin API']),
        ...(cfg.push
          ? [
              `Allow egress from namespace ${product === 'bundesmessenger' ? 'bum' : 'bwm'}-${tenant.id} to the approved push gateway ${cfg.push.gateway} (443, through the zone's proxy); Apple/Google are reached only by that gateway`,
            ]
          : []),
        ...missingAvv(
          tenant,
          cluster.operator,
          product === 'bwmessenger'
            ? 'operator of the BwMessenger'
            : `operator of cluster ${cluster.id} (BundesMessenger)`,
        ),
      );
      new TerraformOutput(this, `${product}_settings`, {
        value: {
          serverName: cfg.serverName,
          federation:
            cfg.federation.mode === 'allowList'
              ? `allowList: ${cfg.federation.servers.join(', ')}`
              : cfg.federation.mode,
          presence: cfg.privacy.presence,
          virusScanning: cfg.virusScanning.enabled
            ? 'on (the scanner receives each file key: end-to-end encryption of files is weakened, acknowledged)'
            : `off: ${cfg.virusScanning.reason}`,
          push: cfg.push ? `via approved gateway ${cfg.push.gateway}` : 'off (no approved push gateway)',
        },
      });
    }
    if (parts.wellKnown) {
      new WellKnownDelegation(this, 'well-known', {
        cluster: this.cluster,
        tenant: tenant.id,
        serverName: parts.wellKnown.serverName,
        homeserverUrl: parts.wellKnown.homeserverUrl,
        images: federation.config.images,
      });
      todo.push(
        ...missingAvv(
          tenant,
          cluster.operator,
          `operator of cluster ${cluster.id}, which serves the .well-known delegation of ${parts.wellKnown.serverName} and sees the addresses of its clients`,
        ),
        `DNS: ${parts.wellKnown.serverName} -> load balancer of ${cluster.ingressController.namespace} in zone ${cluster.zone.id} (serves /.well-known/matrix); federation partners must reach it there, or the provider serves the delegation`,
      );
    }
    saasOutputs(this, tenant);
    todo.push(...dataProtectionTodo(tenant));
    new TerraformOutput(this, 'agency_todo', { value: todo, description: `what ${tenant.name} still must do` });
  }
}

/** An agency on BundesMessenger SaaS without a cluster of ours: only what it must do, as outputs. */
export class SaasTenantStack extends TerraformStack {
  constructor(scope: Construct, federation: Federation, tenant: Tenant) {
    const name = StackNames.saasTenant(tenant.id);
    super(scope, name);
    applyStateBackend(this, name, federation.stateBackend);
    saasOutputs(this, tenant);
    const bum = tenant.bundesMessengerService;
    const provider = bum?.mode === 'saas' ? bum.provider : undefined;
    const todo = [
      ...(provider ? missingAvv(tenant, provider, 'provider of BundesMessenger as SaaS') : []),
      ...dataProtectionTodo(tenant),
    ];
    new TerraformOutput(this, 'agency_todo', { value: todo, description: `what ${tenant.name} still must do` });
  }
}

/**
 * The compliance rules whose open steps the agency_todo lists (tenant:new shows these steps once, not also as
 * findings).
 */
export const RULES_IN_AGENCY_TODO: ReadonlySet<string> = new Set([
  'DS-AVV',
  'DS-DPO',
  'DS-DSFA',
  'DS-DIENSTVEREINBARUNG',
  'VSNFD-DEVICES',
]);

/**
 * The data protection steps still open: a DPO to name (Art. 37 GDPR), a DSFA to carry out (Art. 35 GDPR; overdue
 * when its due date lies before the day of the synth: SOURCE_DATE_EPOCH, else today), a deletion concept and a
 * Dienstvereinbarung to record.
 */
function dataProtectionTodo(tenant: TenantConfig): string[] {
  const dp = tenant.dataProtection;
  const out: string[] = [];
  if (!dp?.dataProtectionOfficer) {
    out.push('Name the data protection officer (Art. 37 GDPR) under dataProtection.dataProtectionOfficer');
  }
  if (!dp?.dsfa) {
    out.push('Record the data protection impact assessment (DSFA, Art. 35 GDPR) under dataProtection.dsfa');
  } else if (dp.dsfa.status === 'planned') {
    const today = issueDate(process.env, new Date()).date;
    out.push(
      dp.dsfa.due && dp.dsfa.due < today
        ? `Overdue since ${dp.dsfa.due}: carry out the planned data protection impact assessment (DSFA, Art. 35 GDPR) and record it`
        : `Carry out the planned data protection impact assessment (DSFA, Art. 35 GDPR)${dp.dsfa.due ? ` by ${dp.dsfa.due}` : ''} and record it`,
    );
  }
  if (!dp?.retention) {
    out.push(
      'Record the deletion concept (retention and deletion periods per data category) under dataProtection.retention',
    );
  }
  if (!dp?.serviceAgreement) {
    out.push(
      'Conclude a Dienstvereinbarung on the use of the messengers and record it under dataProtection.serviceAgreement',
    );
  }
  return out;
}

/** Outputs of a SaaS agency: homeserver, DNS and egress entries, processor and the AVV it requires. */
export function saasOutputs(scope: Construct, tenant: Tenant): void {
  const saas = tenant.bundesMessengerService;
  if (saas?.mode !== 'saas') return;
  const { config: bum, provider } = saas;
  const host = new URL(bum.homeserverUrl).host;
  new TerraformOutput(scope, 'homeserver_url', { value: bum.homeserverUrl });
  new TerraformOutput(scope, 'dns_entries', {
    value: [
      wellKnownDnsEntry({ serverName: bum.serverName, file: 'server', content: `{"m.server": "${host}:443"}` }),
      wellKnownDnsEntry({
        serverName: bum.serverName,
        file: 'client',
        content: `{"m.homeserver": {"base_url": "${bum.homeserverUrl}"}}`,
      }),
    ],
  });
  new TerraformOutput(scope, 'egress_entries', {
    value: [`agency network -> ${host}:443 (HTTPS, through the agency's web proxy)`],
  });
  new TerraformOutput(scope, 'processor', { value: provider?.name ?? bum.provider });
  const avv = agreementWith(tenant, bum.provider);
  new TerraformOutput(scope, 'data_processing_agreement', {
    value: avv
      ? `Auftragsverarbeitungsvertrag (AVV, Art. 28 DSGVO) between ${tenant.name} (controller) and ${provider?.name ?? bum.provider} (processor) concluded: ${avv.reference} of ${avv.date}`
      : `Auftragsverarbeitungsvertrag (AVV, Art. 28 DSGVO) between ${tenant.name} (controller) and ${provider?.name ?? bum.provider} (processor) required before use`,
  });
}

/** The agreement the tenant records with an operator, if any. */
export function agreementWith(tenant: TenantConfig, operatorId: string) {
  return tenant.dataProtection?.agreements.find((a) => a.processor === operatorId);
}

/** The AVV step for the to-do list: only when the tenant records no agreement with that operator. */
function missingAvv(tenant: TenantConfig, operator: { id: string; name: string }, role: string): string[] {
  if (operator.id === tenant.id || agreementWith(tenant, operator.id)) return [];
  return [`Auftragsverarbeitungsvertrag (AVV) with ${operator.name}, ${role}`];
}

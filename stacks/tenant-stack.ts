import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  agreementWith,
  DATA_PROTECTION_STEP_RULES,
  openDataProtectionSteps,
  type DataProtectionStep,
  type MatrixProduct,
  type ProcessedService,
} from '../config/domain';
import type { Cluster, Federation, Tenant, WirePillar, Zone } from '../config/model';
import type { MatrixServerConfig } from '../config/schema';
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
import { StackNames } from '../config/naming';
import { applyStateBackend } from './state-backend';
import { Namespaces } from '../config/naming';

/** What one agency owns on one cluster. */
export interface TenantParts {
  readonly wirePillars: readonly WirePillar[];
  readonly bundesMessenger?: MatrixServerConfig;
  readonly bwMessenger?: MatrixServerConfig;
  /** SaaS: serve `.well-known/matrix` for the agency's domain here. */
  readonly wellKnown?: { readonly homeserverUrl: string; readonly serverName: string };
}

function matrixSpec(
  tenant: Tenant,
  product: MatrixProduct,
  cfg: MatrixServerConfig,
  cluster: Cluster,
): MatrixServerSpec {
  return {
    product,
    tenant: tenant.id,
    tenantKind: tenant.kind,
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
  for (const t of federation.tenants) {
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
 * `asOf` is the day its open data protection steps are judged on (`YYYY-MM-DD`, the day of the synth).
 */
export class TenantStack extends TerraformStack {
  readonly cluster: ZoneCluster;

  constructor(
    scope: Construct,
    federation: Federation,
    tenant: Tenant,
    cluster: Cluster,
    parts: TenantParts,
    asOf: string,
  ) {
    const name = StackNames.tenant(cluster.id, tenant.id);
    super(scope, name);
    applyStateBackend(this, name, federation.stateBackend);
    this.cluster = zoneCluster(this, cluster);
    const steps = openDataProtectionSteps(tenant, asOf);
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
        ...avvTodo(
          steps,
          (of) => of.kind === 'wire-pillar' && of.pillar.id === pillar.id,
          `operator of Wire Bund Säule ${pillar.pillar}`,
        ),
        `DNS: let ${tenant.domain} users reach https://webapp.${pillar.domain} and https://nginz-https.${pillar.domain} in zone ${cluster.zone.id}`,
        ...(pillar.pillar === 1 && steps.some((s) => s.step === 'vsnfd-devices')
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
        ...avvTodo(
          steps,
          (of) => of.kind === 'matrix-server' && of.server.product === product && of.server.cluster.id === cluster.id,
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
        ...avvTodo(
          steps,
          (of) => of.kind === 'well-known' && of.cluster.id === cluster.id,
          `operator of cluster ${cluster.id}, which serves the .well-known delegation of ${parts.wellKnown.serverName} and sees the addresses of its clients`,
        ),
        `DNS: ${parts.wellKnown.serverName} -> load balancer of ${cluster.ingressController.namespace} in zone ${cluster.zone.id} (serves /.well-known/matrix); federation partners must reach it there, or the provider serves the delegation`,
      );
    }
    saasOutputs(this, tenant);
    todo.push(...dataProtectionTodo(steps));
    new TerraformOutput(this, 'agency_todo', { value: todo, description: `what ${tenant.name} still must do` });
  }
}

/** An agency on BundesMessenger SaaS without a cluster of ours: only what it must do, as outputs. */
export class SaasTenantStack extends TerraformStack {
  constructor(scope: Construct, federation: Federation, tenant: Tenant, asOf: string) {
    const name = StackNames.saasTenant(tenant.id);
    super(scope, name);
    applyStateBackend(this, name, federation.stateBackend);
    saasOutputs(this, tenant);
    const steps = openDataProtectionSteps(tenant, asOf);
    const todo = [
      ...avvTodo(steps, (of) => of.kind === 'saas' && of.provider !== undefined, 'provider of BundesMessenger as SaaS'),
      ...dataProtectionTodo(steps),
    ];
    new TerraformOutput(this, 'agency_todo', { value: todo, description: `what ${tenant.name} still must do` });
  }
}

/**
 * The compliance rules whose open steps the agency_todo lists (tenant:new shows these steps once, not also as
 * findings): the rules of the data protection steps (config/domain).
 */
export const RULES_IN_AGENCY_TODO: ReadonlySet<string> = new Set(
  Object.values(DATA_PROTECTION_STEP_RULES).filter((rule): rule is string => rule !== undefined),
);

/**
 * The data protection steps still open that concern no one service: a DPO to name (Art. 37 GDPR), a DSFA to carry
 * out (Art. 35 GDPR; overdue when its due date lies before the day the steps are judged on), a deletion concept and
 * a Dienstvereinbarung to record.
 */
function dataProtectionTodo(steps: readonly DataProtectionStep[]): string[] {
  return steps.flatMap((s): string[] => {
    switch (s.step) {
      case 'dpo':
        return ['Name the data protection officer (Art. 37 GDPR) under dataProtection.dataProtectionOfficer'];
      case 'dsfa':
        if (s.dsfa.state === 'undeclared')
          return ['Record the data protection impact assessment (DSFA, Art. 35 GDPR) under dataProtection.dsfa'];
        return [
          s.dsfa.overdue
            ? `Overdue since ${s.dsfa.overdue}: carry out the planned data protection impact assessment (DSFA, Art. 35 GDPR) and record it`
            : `Carry out the planned data protection impact assessment (DSFA, Art. 35 GDPR)${s.dsfa.due ? ` by ${s.dsfa.due}` : ''} and record it`,
        ];
      case 'retention':
        return [
          'Record the deletion concept (retention and deletion periods per data category) under dataProtection.retention',
        ];
      case 'service-agreement':
        return [
          'Conclude a Dienstvereinbarung on the use of the messengers and record it under dataProtection.serviceAgreement',
        ];
      default:
        // AVVs and VS-NfD devices are listed with the service they concern
        return [];
    }
  });
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

/** The AVV steps for the to-do list: the open agreements (config/domain) for the services `concerns` selects. */
function avvTodo(
  steps: readonly DataProtectionStep[],
  concerns: (of: ProcessedService) => boolean,
  role: string,
): string[] {
  return steps.flatMap((s) =>
    s.step === 'agreement' && concerns(s.processing.of)
      ? [`Auftragsverarbeitungsvertrag (AVV) with ${s.processing.name}, ${role}`]
      : [],
  );
}

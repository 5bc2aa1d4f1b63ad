import { Annotations, TerraformLocal, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { Federation, WirePillar } from '../config/model';
import { effectiveWireProfile } from '../config/wire-profile';
import type { WirePillarSpec } from '../constructs/wire/pillar-spec';
import { COTURN_RELAY_PORTS } from '../constructs/charts/coturn';
import { COTURN_FEDERATION_PORT } from '../constructs/wire/values';
import { WireBundPillar } from '../constructs/wire/wire-bund-pillar';
import {
  FactLocals,
  federatorSrvDnsEntry,
  zoneEdgeDnsEntry,
  type WireInstanceFact,
  type WireProfileFact,
} from '../constructs/facts';

import { zoneCluster } from './cluster-scope';
import { StackNames } from '../config/naming';
import { applyStateBackend } from './state-backend';

export const PILLAR_2_WARNING =
  'Säule 2 (internet-facing Wire Bund for external organisations) is not implemented in reality today; ' +
  'this pillar is declared with acknowledgeNotImplemented and deploys only to an internet-zone cluster.';

export function pillarSpec(pillar: WirePillar): WirePillarSpec {
  const pki = pillar.cluster.pki;
  if (!pki) throw new Error(`internal: cluster '${pillar.cluster.id}' has no pki after validation`);
  return {
    id: pillar.id,
    pillar: pillar.pillar,
    stage: pillar.stage,
    domain: pillar.domain,
    federationDomain: pillar.federationDomain,
    size: pillar.size,
    datastores: pillar.datastores,
    secretName: pillar.secrets.existingSecret,
    calling: pillar.calling,
    federation: pillar.partners.map((p) => ({ domain: p.domain, searchPolicy: p.searchPolicy })),
    pki,
    mail: {
      smtp: pillar.mail.smtp ?? { host: `smtp.${pillar.domain}`, port: 587, connType: 'tls' },
      sender: pillar.mail.sender ?? `noreply@${pillar.domain}`,
      support: pillar.mail.support ?? { company: pillar.operator.name, email: `support@${pillar.domain}` },
    },
    profile: effectiveWireProfile(pillar).profile,
  };
}

/** One Wire Bund pillar backend on its cluster; owned by the pillar's operator (ITZBund for Säulen 1 and 3). */
export class WirePillarStack extends TerraformStack {
  readonly pillar: WireBundPillar;

  constructor(scope: Construct, federation: Federation, pillar: WirePillar) {
    const name = StackNames.wirePillar(pillar.cluster.id, pillar.id);
    super(scope, name);
    applyStateBackend(this, name, federation.stateBackend);
    const cluster = zoneCluster(this, pillar.cluster);
    const spec = pillarSpec(pillar);
    this.pillar = new WireBundPillar(this, 'pillar', {
      cluster,
      spec,
      repositories: federation.chartRepositories,
      images: federation.config.images,
    });
    if (pillar.pillar === 2) Annotations.of(this).addWarning(PILLAR_2_WARNING);
    // Facts for checks over the synthesized JSON: this instance and the instances it may federate with.
    const instance: WireInstanceFact = {
      id: pillar.id,
      pillar: pillar.pillar,
      domain: pillar.federationDomain,
      zone: pillar.cluster.zone.id,
      partners: pillar.partners.map((p) => ({
        id: p.id,
        domain: p.domain,
        zone: p.zone,
        zoneKind: p.zoneKind,
      })),
    };
    new TerraformLocal(this, FactLocals.wireInstance, instance).overrideLogicalId(FactLocals.wireInstance);
    // The team features galley enforces, what is weaker than the pillar's preset and the recorded reason: read by
    // verify --render (the rendered galley config must carry them) and by reports.
    const profile = effectiveWireProfile(pillar);
    const recordedProfile: WireProfileFact = {
      profile: profile.profile,
      weakened: profile.weakened,
      ...(profile.reason !== undefined ? { reason: profile.reason } : {}),
    };
    new TerraformLocal(this, FactLocals.wireProfile, recordedProfile).overrideLogicalId(FactLocals.wireProfile);

    const h = this.pillar.hosts;
    const dns = [
      ...Object.values(h)
        .filter((host) => host !== h.federator || spec.federation.length > 0)
        .map((host) =>
          zoneEdgeDnsEntry({
            host,
            ingressControllerNamespace: pillar.cluster.ingressController.namespace,
            loadBalancerClass: pillar.cluster.zone.loadBalancerClass,
          }),
        ),
      ...(spec.federation.length > 0
        ? [federatorSrvDnsEntry({ federationDomain: spec.federationDomain, federator: h.federator })]
        : []),
    ];
    new TerraformOutput(this, 'dns_entries', { value: dns, description: 'DNS entries to create in the zone' });
    new TerraformOutput(this, 'firewall_entries', {
      description: 'zone firewall openings for calling (from the zone networks only)',
      value: spec.calling.nodes.flatMap((n) => [
        `${pillar.cluster.zone.cidrs.join(',')} -> ${n.advertisedIp} udp/${spec.calling.mediaPorts.min}-${spec.calling.mediaPorts.max} (sftd media: the node's ip_local_port_range)`,
        `${pillar.cluster.zone.cidrs.join(',')} -> ${n.advertisedIp} udp/${COTURN_RELAY_PORTS.min}-${COTURN_RELAY_PORTS.max} (coturn relay: its built-in range)`,
        `${pillar.cluster.zone.cidrs.join(',')} -> ${n.advertisedIp} udp+tcp/${spec.calling.turnPort} (TURN)`,
        ...(spec.federation.length > 0
          ? [
              `${pillar.partners.map((p) => p.zone).join(',')} (federation partners) -> ${n.advertisedIp} udp/${COTURN_FEDERATION_PORT} (coturn federation, DTLS)`,
            ]
          : []),
      ]),
    });
    new TerraformOutput(this, 'pillar_summary', {
      value: {
        pillar: pillar.pillar,
        classification: pillar.classification,
        stage: pillar.stage,
        operator: pillar.operator.name,
        federationDomain: spec.federationDomain,
        federatesWith: spec.federation.map((p) => p.domain),
        requiredSecret: `${spec.secretName} in namespaces ${spec.id} and ${spec.id}-calling`,
      },
    });
  }
}

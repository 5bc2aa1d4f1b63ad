import { TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { parseCidr, insideAny, type Cidr } from '../config/cidr';
import { zoneKindMayCarry, zoneMaxClassification } from '../config/domain';
import { FactLocals, type Classification, type RecordedNetworkZone, type ZoneKind } from './facts';

/** The kinds of network zone (constructs/facts.ts `ZONE_KINDS`). */
export type NetworkZoneKind = ZoneKind;
export type { Classification };

export interface NetworkZoneProps {
  /** Zone id, e.g. `ndb`. */
  readonly id: string;
  /** ndb: Netze des Bundes; grundschutz: an agency network at IT-Grundschutz level; internet. */
  readonly kind: NetworkZoneKind;
  /** The zone's IPv4 and IPv6 networks. */
  readonly cidrs: readonly string[];
  /** IngressClass of the zone's edge. */
  readonly ingressClass: string;
  /** Service `loadBalancerClass` that keeps a load balancer inside the zone. */
  readonly loadBalancerClass: string;
  /**
   * Highest classification the zone may carry.
   * @default 'VS-NfD' for ndb, 'offen' otherwise
   */
  readonly maxClassification?: Classification;
}

/**
 * A network zone: Netze des Bundes, an IT-Grundschutz agency network, or the internet. Creates no Kubernetes
 * objects; it records the zone's facts in the stack (`locals.network_zone`) so that checks over the synthesized
 * JSON know the zone's networks and classes.
 */
export class NetworkZone extends Construct {
  readonly zoneId: string;
  readonly kind: NetworkZoneKind;
  readonly cidrs: readonly string[];
  readonly networks: readonly Cidr[];
  readonly ingressClass: string;
  readonly loadBalancerClass: string;
  readonly maxClassification: Classification;

  constructor(scope: Construct, id: string, props: NetworkZoneProps) {
    super(scope, id);
    if (props.cidrs.length === 0)
      throw new Error(`NetworkZone '${props.id}': cidrs is empty; give at least one network`);
    this.networks = props.cidrs.map((c) => {
      const net = parseCidr(c);
      if (!net) throw new Error(`NetworkZone '${props.id}': '${c}' is not a CIDR; use e.g. '10.64.0.0/12'`);
      return net;
    });
    const max = zoneMaxClassification(props);
    if (!zoneKindMayCarry(props.kind, max)) {
      throw new Error(`NetworkZone '${props.id}': kind '${props.kind}' cannot carry VS-NfD; only 'ndb' can`);
    }
    this.zoneId = props.id;
    this.kind = props.kind;
    this.cidrs = [...props.cidrs];
    this.ingressClass = props.ingressClass;
    this.loadBalancerClass = props.loadBalancerClass;
    this.maxClassification = max;
    const fact: RecordedNetworkZone = {
      id: this.zoneId,
      kind: this.kind,
      cidrs: [...this.cidrs],
      ingressClass: this.ingressClass,
      loadBalancerClass: this.loadBalancerClass,
      maxClassification: this.maxClassification,
    };
    new TerraformLocal(this, FactLocals.networkZone, fact).overrideLogicalId(FactLocals.networkZone);
  }

  /** True when the address or network lies wholly inside this zone. */
  contains(addressOrCidr: string): boolean {
    return insideAny(this.networks, addressOrCidr);
  }
}

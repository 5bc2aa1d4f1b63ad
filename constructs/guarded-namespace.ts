import { Construct } from 'constructs';
import { pillarPlacementProblems, zoneMayCarry, type PillarNumber } from '../config/domain';
import { LimitRangeV1, NamespaceV1, NetworkPolicyV1, ResourceQuotaV1 } from './providers';
import { AnnotationKeys } from './facts';
import { Labels, MANAGED_BY, NAMESPACE_NAME_LABEL, POD_SECURITY_ENFORCE_LABEL } from './labels';
import type { Classification } from './network-zone';
import { Peer, type NetworkPeer, type NetworkPort } from './peer';
import type { ZoneCluster } from './zone-cluster';

export type PodSecurity =
  | { readonly level: 'restricted' }
  /** Only for workloads that cannot run restricted (e.g. sftd/coturn with hostNetwork, the ingress controller);
   * audit and warn stay restricted, and the reason is recorded on the namespace. */
  | {
      readonly level: 'baseline' | 'privileged';
      readonly reason: string;
      /**
       * The only workloads (`Kind/name`) that may run below `restricted`: every other pod of the namespace must
       * still meet `restricted`, which `verify --render` checks on the rendered charts. Recorded on the namespace
       * ({@link AnnotationKeys.podSecurityRestrictedExcept}).
       * @default none: every workload may use the namespace's level
       */
      readonly restrictedExcept?: readonly string[];
    };

/**
 * Namespace annotation: the workloads (`Kind/name`, comma-separated) allowed below Pod Security `restricted`.
 * @deprecated use {@link AnnotationKeys.podSecurityRestrictedExcept} (constructs/facts.ts); kept for its importers.
 */
export const RESTRICTED_EXCEPT_ANNOTATION = AnnotationKeys.podSecurityRestrictedExcept;

export interface ZoneEdgeSettings {
  /** @default 1 */
  readonly loadBalancers?: number;
  /**
   * Kubernetes counts the node ports a LoadBalancer Service allocates (one per port) against this quota.
   * @default 2 (http and https of the edge's load balancer)
   */
  readonly nodePorts?: number;
}

export interface ContainerLimits {
  readonly defaultLimits: Readonly<Record<'cpu' | 'memory', string>>;
  readonly defaultRequests: Readonly<Record<'cpu' | 'memory', string>>;
}

export interface GuardedNamespaceProps {
  readonly cluster: ZoneCluster;
  /** Kubernetes namespace name. */
  readonly name: string;
  /** What runs here, e.g. `wire`, `bundesmessenger`, `ingress`, `platform`. */
  readonly service: string;
  /** Wire Bund pillar (Säule) the namespace belongs to, if any. */
  readonly pillar?: PillarNumber;
  /** Agency tenant the namespace belongs to, if any. */
  readonly tenant?: string;
  /** @default the zone's highest classification */
  readonly classification?: Classification;
  /**
   * A zone edge may own load balancers (in the zone's load-balancer class) and receives traffic from the zone's
   * networks. Everything else gets a quota of zero load balancers and zero node ports.
   * @default undefined (not an edge)
   */
  readonly zoneEdge?: ZoneEdgeSettings;
  /** @default { level: 'restricted' } */
  readonly podSecurity?: PodSecurity;
  /**
   * Allow ingress from the cluster's ingress-controller namespace.
   * @default true
   */
  readonly allowFromIngressController?: boolean;
  /** @default cpu 500m / memory 512Mi limits, cpu 50m / memory 64Mi requests */
  readonly containerLimits?: ContainerLimits;
  /** Extra ResourceQuota entries, e.g. `{ 'requests.cpu': '8' }`. Service quotas cannot be set here. */
  readonly quota?: Readonly<Record<string, string>>;
  /** DNS service pods. @default kube-system pods labelled k8s-app=kube-dns */
  readonly dns?: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
}

export interface ConnectionOptions {
  /** @default all ports */
  readonly ports?: readonly NetworkPort[];
  /** Pods of this namespace the rule applies to. @default all pods */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Required when the peer has addresses outside the cluster's zone: why data may cross the zone boundary. */
  readonly outsideZoneReason?: string;
}

const DEFAULT_LIMITS: ContainerLimits = {
  defaultLimits: { cpu: '500m', memory: '512Mi' },
  defaultRequests: { cpu: '50m', memory: '64Mi' },
};

const MIN_REASON = 20;

/** Container defaults for namespaces that run a messenger backend (services set their own limits on top). */
export const SERVICE_CONTAINER_LIMITS: ContainerLimits = {
  defaultLimits: { cpu: '1', memory: '1Gi' },
  defaultRequests: { cpu: '100m', memory: '128Mi' },
};

/**
 * Every namespace the project creates comes through here: Pod Security `restricted`, default-deny ingress and
 * egress, DNS egress, ingress only from the ingress controller and from declared peers, a quota of zero load
 * balancers and node ports (unless a zone edge), a LimitRange, and labels for zone, service, pillar and tenant.
 */
export class GuardedNamespace extends Construct {
  readonly name: string;
  readonly cluster: ZoneCluster;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespace: NamespaceV1;
  private readonly policyNames = new Set<string>();

  constructor(scope: Construct, id: string, props: GuardedNamespaceProps) {
    super(scope, id);
    const { cluster } = props;
    const zone = cluster.zone;
    if (!/^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(props.name)) {
      throw new Error(`GuardedNamespace: '${props.name}' is not a Kubernetes namespace name (a-z, 0-9, '-', max 63)`);
    }
    const classification = props.classification ?? zone.maxClassification;
    if (!zoneMayCarry(zone, classification)) {
      throw new Error(
        `GuardedNamespace '${props.name}': classification VS-NfD is not allowed in zone '${zone.zoneId}' (kind '${zone.kind}', up to '${zone.maxClassification}')`,
      );
    }
    for (const problem of props.pillar === undefined ? [] : pillarPlacementProblems(props.pillar, zone)) {
      throw new Error(
        problem.rule === 'zone-kind'
          ? props.pillar === 1
            ? `GuardedNamespace '${props.name}': Säule 1 only runs in the NdB zone, not in '${zone.zoneId}' (${zone.kind})`
            : `GuardedNamespace '${props.name}': Säule ${props.pillar} runs in a zone of kind '${problem.wanted}', not in '${zone.zoneId}' (${zone.kind})`
          : `GuardedNamespace '${props.name}': Säule ${props.pillar} carries ${problem.needed}, zone '${zone.zoneId}' only up to '${problem.max}'`,
      );
    }
    const podSecurity = props.podSecurity ?? { level: 'restricted' };
    if (podSecurity.level !== 'restricted' && podSecurity.reason.trim().length < MIN_REASON) {
      throw new Error(
        `GuardedNamespace '${props.name}': Pod Security '${podSecurity.level}' needs a reason of at least ${MIN_REASON} characters; got '${podSecurity.reason}'`,
      );
    }
    this.name = props.name;
    this.cluster = cluster;
    const provider = cluster.kubernetes;

    this.labels = {
      [Labels.managedBy]: MANAGED_BY,
      [Labels.zone]: zone.zoneId,
      [Labels.zoneKind]: zone.kind,
      [Labels.cluster]: cluster.clusterId,
      [Labels.classification]: classification,
      [Labels.service]: props.service,
      ...(props.pillar ? { [Labels.pillar]: String(props.pillar) } : {}),
      ...(props.tenant ? { [Labels.tenant]: props.tenant } : {}),
      ...(props.zoneEdge ? { [Labels.zoneEdge]: 'true' } : {}),
    };

    this.namespace = new NamespaceV1(this, 'namespace', {
      provider,
      metadata: {
        name: props.name,
        labels: {
          ...this.labels,
          [POD_SECURITY_ENFORCE_LABEL]: podSecurity.level,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
        annotations:
          podSecurity.level !== 'restricted'
            ? {
                [AnnotationKeys.podSecurityReason]: podSecurity.reason,
                ...(podSecurity.restrictedExcept
                  ? { [AnnotationKeys.podSecurityRestrictedExcept]: podSecurity.restrictedExcept.join(',') }
                  : {}),
              }
            : undefined,
      },
    });
    this.namespace.overrideLogicalId(`${this.prefix()}_namespace`);

    this.policy('default-deny', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });

    const dns = props.dns ?? { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };
    this.policy('allow-dns-egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: dns.namespace } },
              podSelector: { matchLabels: { ...dns.podLabels } },
            },
          ],
          ports: [
            { port: '53', protocol: 'UDP' },
            { port: '53', protocol: 'TCP' },
          ],
        },
      ],
    });

    if ((props.allowFromIngressController ?? true) && props.name !== cluster.ingressControllerNamespace) {
      this.allowFrom(Peer.namespace(cluster.ingressControllerNamespace), {});
    }

    const edge = props.zoneEdge;
    const reserved = Object.keys(props.quota ?? {}).filter((k) => k.startsWith('services.'));
    if (reserved.length > 0) {
      throw new Error(
        `GuardedNamespace '${props.name}': quota keys ${reserved.join(', ')} are set by zoneEdge, not by quota`,
      );
    }
    const quota = new ResourceQuotaV1(this, 'quota', {
      provider,
      dependsOn: [this.namespace],
      metadata: { name: 'guardrails', namespace: props.name, labels: { [Labels.managedBy]: MANAGED_BY } },
      spec: {
        hard: {
          ...(props.quota ?? {}),
          'services.loadbalancers': String(edge ? (edge.loadBalancers ?? 1) : 0),
          'services.nodeports': String(edge ? (edge.nodePorts ?? 2) : 0),
        },
      },
    });
    quota.overrideLogicalId(`${this.prefix()}_quota`);

    const limits = props.containerLimits ?? DEFAULT_LIMITS;
    const limitRange = new LimitRangeV1(this, 'limits', {
      provider,
      dependsOn: [this.namespace],
      metadata: { name: 'defaults', namespace: props.name, labels: { [Labels.managedBy]: MANAGED_BY } },
      spec: {
        limit: [
          {
            type: 'Container',
            default: { ...limits.defaultLimits },
            defaultRequest: { ...limits.defaultRequests },
          },
        ],
      },
    });
    limitRange.overrideLogicalId(`${this.prefix()}_limits`);
  }

  /** Allows ingress from a peer (to all pods, or to `podLabels`), optionally only on some ports. */
  allowFrom(peer: NetworkPeer, options: ConnectionOptions = {}): NetworkPolicyV1 {
    this.checkZone(peer, options, 'from');
    return this.policy(`allow-from-${peer.name}`, {
      podSelector: options.podLabels ? { matchLabels: { ...options.podLabels } } : {},
      policyTypes: ['Ingress'],
      ingress: [{ from: peer.selectors.map((s) => ({ ...s })), ports: this.ports(options.ports) }],
    });
  }

  /** Allows egress to a peer (from all pods, or from `podLabels`), optionally only on some ports. */
  allowTo(peer: NetworkPeer, options: ConnectionOptions = {}): NetworkPolicyV1 {
    this.checkZone(peer, options, 'to');
    return this.policy(`allow-to-${peer.name}`, {
      podSelector: options.podLabels ? { matchLabels: { ...options.podLabels } } : {},
      policyTypes: ['Egress'],
      egress: [{ to: peer.selectors.map((s) => ({ ...s })), ports: this.ports(options.ports) }],
    });
  }

  /** Allows the pods of this namespace to talk to each other (both directions). */
  allowWithin(): void {
    this.allowFrom(Peer.namespace(this.name));
    this.allowTo(Peer.namespace(this.name));
  }

  /** Allows traffic both ways between this namespace and another guarded namespace on the same cluster. */
  connect(other: GuardedNamespace, ports?: readonly NetworkPort[]): void {
    if (other.cluster.clusterId !== this.cluster.clusterId) {
      throw new Error(
        `GuardedNamespace '${this.name}': cannot connect to '${other.name}' on another cluster (${other.cluster.clusterId})`,
      );
    }
    this.allowTo(Peer.namespace(other.name), { ports });
    other.allowFrom(Peer.namespace(this.name), { ports });
  }

  private prefix(): string {
    return `${this.name}`.replace(/[^a-zA-Z0-9_-]/g, '_');
  }

  private ports(ports: readonly NetworkPort[] | undefined) {
    return ports?.map((p) => ({ port: String(p.port), protocol: p.protocol ?? 'TCP', endPort: p.endPort }));
  }

  private checkZone(peer: NetworkPeer, options: ConnectionOptions, direction: 'from' | 'to'): void {
    const outside = peer.cidrs.filter((c) => !this.cluster.zone.contains(c));
    if (outside.length === 0) return;
    const reason = options.outsideZoneReason?.trim() ?? '';
    if (reason.length < MIN_REASON) {
      throw new Error(
        `GuardedNamespace '${this.name}': traffic ${direction} ${outside.join(', ')} leaves zone '${this.cluster.zone.zoneId}' (${this.cluster.zone.cidrs.join(', ')}); ` +
          `give outsideZoneReason (at least ${MIN_REASON} characters) or use addresses inside the zone`,
      );
    }
  }

  private policy(name: string, spec: ConstructorParameters<typeof NetworkPolicyV1>[2]['spec']): NetworkPolicyV1 {
    if (this.policyNames.has(name)) {
      throw new Error(`GuardedNamespace '${this.name}': a connection named '${name}' exists already`);
    }
    this.policyNames.add(name);
    const policy = new NetworkPolicyV1(this, `policy-${name}`, {
      provider: this.cluster.kubernetes,
      dependsOn: [this.namespace],
      metadata: { name, namespace: this.name, labels: { [Labels.managedBy]: MANAGED_BY } },
      spec,
    });
    policy.overrideLogicalId(`${this.prefix()}_netpol_${name}`);
    return policy;
  }
}

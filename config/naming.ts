/**
 * The names the federation gives to what it deploys: stack names (the unit `cdktf deploy` selects and Terraform
 * keeps one state for) and the Kubernetes namespaces on each cluster. Stated once here: stacks and constructs name
 * things with these functions, and the config check below refuses a federation in which two things would get one
 * name (two stacks sharing one state, or two stacks owning one namespace, one of them perhaps a zone edge).
 */
import { createHash } from 'node:crypto';
import type { ConfigPath } from './errors';
import type { FederationConfig } from './schema';

/**
 * Stack names: `<cluster>--<unit>`, so that one glob selects what one team owns.
 *
 * - `itzbund-ndb-1--*`          everything on one cluster (the cluster team's blast radius)
 * - `*--platform`                the platform stacks (guardrails, shared namespaces) of all clusters
 * - `*--tenant-bmbsp`            everything one agency owns, on every cluster
 * - `saas--tenant-bfbs`          an agency on BundesMessenger SaaS (no cluster of ours)
 */
export const StackNames = {
  platform: (clusterId: string) => `${clusterId}--platform`,
  wirePillar: (clusterId: string, pillarId: string) => `${clusterId}--${pillarId}`,
  tenant: (clusterId: string, tenantId: string) => `${clusterId}--tenant-${tenantId}`,
  saasTenant: (tenantId: string) => `saas--tenant-${tenantId}`,
} as const;

/** A Kubernetes name of at most 63 characters: longer names keep a prefix and get a short hash of the whole. */
function fit(name: string): string {
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** Namespaces on a cluster. */
export const Namespaces = {
  /** The Wire backend of a pillar. */
  wirePillar: (pillarId: string) => fit(pillarId),
  /** The calling servers (SFT, TURN) of a pillar: host network, its own guardrails. */
  calling: (pillarId: string) => fit(`${pillarId}-calling`),
  /** An agency's LDAP/SCIM bridge into one pillar. */
  ldapBridge: (tenantId: string, pillarId: string) => fit(`tenant-${tenantId}-${pillarId}`),
  /** An agency's Matrix homeserver (BundesMessenger or BwMessenger). */
  matrix: (product: 'bundesmessenger' | 'bwmessenger', tenantId: string) =>
    fit(`${product === 'bundesmessenger' ? 'bum' : 'bwm'}-${tenantId}`),
  /** The `.well-known` delegation of an agency on BundesMessenger SaaS. */
  wellKnown: (tenantId: string) => fit(`wk-${tenantId}`),
} as const;

/** Namespaces Kubernetes itself owns: the federation never creates or guards them. */
export const KUBERNETES_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

type Report = (path: ConfigPath, message: string, value: unknown, allowed?: string) => void;

interface Claim {
  readonly name: string;
  readonly what: string;
  readonly path: ConfigPath;
  /** The config value at the path (the id or namespace that gives the name). */
  readonly value: string;
}

/** The stack names and, per cluster, the namespaces a federation would create. */
export function ownedNames(cfg: FederationConfig): { stacks: Claim[]; namespaces: Map<string, Claim[]> } {
  const clusterOf = new Map(cfg.wire.pillars.map((p) => [p.id, p.cluster]));
  const stacks: Claim[] = [];
  const namespaces = new Map<string, Claim[]>(cfg.clusters.map((c) => [c.id, []]));
  const ns = (cluster: string, claim: Claim) => namespaces.get(cluster)?.push(claim);
  cfg.clusters.forEach((c, ci) => {
    stacks.push({
      name: StackNames.platform(c.id),
      what: `the platform stack of cluster '${c.id}'`,
      path: ['clusters', ci, 'id'],
      value: c.id,
    });
    ns(c.id, {
      name: c.ingressController.namespace,
      what: `the zone edge (ingress controller) of cluster '${c.id}'`,
      path: ['clusters', ci, 'ingressController', 'namespace'],
      value: c.ingressController.namespace,
    });
  });
  cfg.wire.pillars.forEach((p, pi) => {
    const at: ConfigPath = ['wire', 'pillars', pi, 'id'];
    stacks.push({
      name: StackNames.wirePillar(p.cluster, p.id),
      what: `the stack of Wire pillar '${p.id}'`,
      path: at,
      value: p.id,
    });
    ns(p.cluster, { name: Namespaces.wirePillar(p.id), what: `Wire pillar '${p.id}'`, path: at, value: p.id });
    ns(p.cluster, {
      name: Namespaces.calling(p.id),
      what: `the calling servers of Wire pillar '${p.id}'`,
      path: at,
      value: p.id,
    });
  });
  cfg.tenants.forEach((t, ti) => {
    const at: ConfigPath = ['tenants', ti, 'id'];
    const clusters = new Set<string>();
    for (const pillarId of t.wire?.pillars ?? []) {
      const cluster = clusterOf.get(pillarId);
      if (!cluster) continue;
      clusters.add(cluster);
      if (t.wire?.ldap) {
        ns(cluster, {
          name: Namespaces.ldapBridge(t.id, pillarId),
          what: `the LDAP/SCIM bridge of '${t.id}' into pillar '${pillarId}'`,
          path: at,
          value: t.id,
        });
      }
    }
    const bum = t.bundesMessenger;
    if (bum?.mode === 'self-hosted') {
      clusters.add(bum.cluster);
      ns(bum.cluster, {
        name: Namespaces.matrix('bundesmessenger', t.id),
        what: `the BundesMessenger of '${t.id}'`,
        path: at,
        value: t.id,
      });
    }
    if (bum?.mode === 'saas' && bum.wellKnown) {
      clusters.add(bum.wellKnown.cluster);
      ns(bum.wellKnown.cluster, {
        name: Namespaces.wellKnown(t.id),
        what: `the .well-known delegation of '${t.id}'`,
        path: at,
        value: t.id,
      });
    }
    if (bum?.mode === 'saas' && !bum.wellKnown) {
      stacks.push({
        name: StackNames.saasTenant(t.id),
        what: `the SaaS stack of tenant '${t.id}'`,
        path: at,
        value: t.id,
      });
    }
    if (t.bwMessenger) {
      clusters.add(t.bwMessenger.cluster);
      ns(t.bwMessenger.cluster, {
        name: Namespaces.matrix('bwmessenger', t.id),
        what: `the BwMessenger of '${t.id}'`,
        path: at,
        value: t.id,
      });
    }
    for (const cluster of clusters) {
      stacks.push({
        name: StackNames.tenant(cluster, t.id),
        what: `the stack of tenant '${t.id}' on '${cluster}'`,
        path: at,
        value: t.id,
      });
    }
  });
  return { stacks, namespaces };
}

/**
 * Refuses a federation in which two stacks get one name (cdktf would merge or overwrite them; both would share one
 * Terraform state) or two stacks own one namespace on a cluster (guardrails and NetworkPolicies of one would apply
 * to the other: a zone edge may have a load balancer), and namespaces Kubernetes owns itself.
 */
export function checkOwnedNames(cfg: FederationConfig, report: Report): void {
  const { stacks, namespaces } = ownedNames(cfg);
  // `saas--tenant-<id>` names an agency on BundesMessenger SaaS: a cluster called `saas` would look like one
  cfg.clusters.forEach((c, ci) => {
    if (c.id === 'saas')
      report(
        ['clusters', ci, 'id'],
        "the cluster id 'saas' is reserved for the stacks of SaaS agencies",
        c.id,
        'another id',
      );
  });
  const duplicates = (claims: readonly Claim[], kind: string, where: string) => {
    const first = new Map<string, Claim>();
    for (const c of claims) {
      const earlier = first.get(c.name);
      if (!earlier) first.set(c.name, c);
      else
        report(
          c.path,
          `${kind} '${c.name}' of ${c.what} is also ${kind} of ${earlier.what}${where}`,
          c.value,
          `ids that give distinct ${kind}s (pillar ids other than 'platform', not starting with 'tenant-' ` +
            `and not ending in '-calling'; namespaces other than the pillars' and agencies' own)`,
        );
    }
  };
  duplicates(stacks, 'the stack name', '');
  for (const [cluster, claims] of namespaces) {
    duplicates(claims, 'the namespace', ` on cluster '${cluster}'`);
    for (const c of claims) {
      if (KUBERNETES_NAMESPACES.includes(c.name)) {
        report(
          c.path,
          `the namespace '${c.name}' of ${c.what} belongs to Kubernetes itself`,
          c.value,
          `a namespace other than ${KUBERNETES_NAMESPACES.join(', ')}`,
        );
      }
    }
  }
}

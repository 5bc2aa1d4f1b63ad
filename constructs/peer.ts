/**
 * Network peers for GuardedNamespace connections (in the style of cdk8s-plus `allowFrom` / `allowTo`).
 * A peer turns into the `from`/`to` entries of a NetworkPolicy rule.
 */
import { NAMESPACE_NAME_LABEL } from './labels';

export interface PeerSelector {
  readonly namespaceSelector?: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly podSelector?: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly ipBlock?: { readonly cidr: string };
}

export interface NetworkPeer {
  /** Short name used in the NetworkPolicy's name, e.g. `ns-wire-s1`. */
  readonly name: string;
  readonly selectors: readonly PeerSelector[];
  /** CIDRs this peer stands for; GuardedNamespace checks they lie inside the zone. */
  readonly cidrs: readonly string[];
}

export interface NetworkPort {
  readonly port: number | string;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** Last port of a range. */
  readonly endPort?: number;
}

function safe(name: string): string {
  return name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
}

export const Peer = {
  /** All pods of a namespace, or the pods matching `podLabels` in it. */
  namespace(name: string, podLabels?: Record<string, string>): NetworkPeer {
    return {
      name: `ns-${safe(name)}`,
      selectors: [
        {
          namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } },
          ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
        },
      ],
      cidrs: [],
    };
  },
  /** Pods in the same namespace that carry these labels. */
  pods(name: string, labels: Record<string, string>): NetworkPeer {
    return { name: `pods-${safe(name)}`, selectors: [{ podSelector: { matchLabels: labels } }], cidrs: [] };
  },
  /** Namespaces that carry these labels (e.g. all pillar-1 namespaces). */
  namespacesWithLabels(name: string, labels: Record<string, string>): NetworkPeer {
    return { name: `nss-${safe(name)}`, selectors: [{ namespaceSelector: { matchLabels: labels } }], cidrs: [] };
  },
  /** Addresses. GuardedNamespace refuses addresses outside its zone unless the connection gives a reason. */
  ipBlocks(name: string, cidrs: readonly string[]): NetworkPeer {
    return { name: `ip-${safe(name)}`, selectors: cidrs.map((cidr) => ({ ipBlock: { cidr } })), cidrs: [...cidrs] };
  },
} as const;

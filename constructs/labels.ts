/**
 * Label keys the project puts on everything it creates; checks and reports rely on them. Their value domains, and the
 * annotation keys the checks read, are part of the facts contract (constructs/facts.ts).
 */
export const LABEL_PREFIX = 'messenger.bund';

export const Labels = {
  zone: `${LABEL_PREFIX}/zone`,
  zoneKind: `${LABEL_PREFIX}/zone-kind`,
  cluster: `${LABEL_PREFIX}/cluster`,
  classification: `${LABEL_PREFIX}/classification`,
  service: `${LABEL_PREFIX}/service`,
  pillar: `${LABEL_PREFIX}/pillar`,
  tenant: `${LABEL_PREFIX}/tenant`,
  zoneEdge: `${LABEL_PREFIX}/zone-edge`,
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const MANAGED_BY = 'bund-messenger-iac';

/** The label Kubernetes sets on every namespace (since 1.22): selects a namespace by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The Kubernetes label with a namespace's enforced Pod Security level (`restricted`, `baseline` or `privileged`). */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/**
 * The catalogue of the Säule-1 guard: one rule id per way Säule 1 could become reachable from outside the NdB, with
 * what the rule forbids. Each id is one rule unit of the guard pack (policy/rules/guard/index.ts).
 */
export const EXPOSURE_RULES = {
  'P1-ZONE': 'deployed through the providers of a cluster whose zone is not the NdB (or of an unknown cluster)',
  'P1-SERVICE':
    'a Service reachable from outside the NdB (NodePort, foreign load balancer, external IPs, ExternalName)',
  'P1-INGRESS': "an Ingress or Gateway API object outside the NdB zone's ingress class",
  'P1-HOSTNET': 'a pod on the host network or with a host port, outside the calling pool',
  'P1-NETPOL':
    'a NetworkPolicy that admits traffic from or sends it to outside the NdB, or a namespace without default deny',
  'P1-HELM': 'a Helm release whose values expose it, or a chart the guard does not know',
  'P1-CALLING-IP':
    'a calling node announces an IP outside the NdB (node annotation, or an address in the sftd/coturn values)',
  'P1-FEDERATION': 'a federation link or DNS entry to an instance outside the NdB',
  'P1-PATCH': 'a label or annotation patch that changes the guardrails or the exposure of an existing object',
  'P1-QUOTA':
    'a Säule-1 namespace without its ResourceQuota of zero load balancers and node ports, or with a limit raised',
  'P1-ADMISSION': 'an NdB cluster whose admission policy or binding is missing or weakened',
  'P1-TERRAFORM':
    'Terraform the guard does not evaluate: count, for_each, dynamic, provisioners, lifecycle, a Helm postrender, a resource type this app never writes, or a live template outside the known forms',
} as const;

export type ExposureRule = keyof typeof EXPOSURE_RULES;

/** Whether a rule id is one of the guard's. */
export const isExposureRule = (id: string): id is ExposureRule => Object.hasOwn(EXPOSURE_RULES, id);

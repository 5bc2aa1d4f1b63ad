/**
 * Kubernetes Pod Security Standards (baseline and restricted, as the Pod Security admission enforces them since
 * Kubernetes 1.25) for the pod templates of rendered objects: what the API server of a namespace labelled
 * `pod-security.kubernetes.io/enforce: <level>` would refuse.
 */
import type { KubernetesObject } from '../k8s-objects';
import { valueAt } from '../synthesized-view';

/** The security context fields Pod Security reads (of a container; the pod's has the same and sysctls, SELinux). */
interface SecurityContext {
  readonly privileged?: boolean;
  readonly capabilities?: { readonly add?: readonly unknown[]; readonly drop?: readonly unknown[] };
  readonly procMount?: string;
  readonly seccompProfile?: { readonly type?: string };
  readonly windowsOptions?: { readonly hostProcess?: boolean };
  readonly allowPrivilegeEscalation?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly sysctls?: ReadonlyArray<{ readonly name: string }>;
  readonly seLinuxOptions?: { readonly type?: string };
}

interface Container {
  readonly name?: string;
  readonly securityContext?: SecurityContext;
  readonly ports?: ReadonlyArray<{ readonly hostPort?: number }>;
}

/** The fields of a pod spec (core/v1 PodSpec) Pod Security reads. */
export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly securityContext?: SecurityContext;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  /** Each volume: its name and one key naming its type (`hostPath`, `configMap`, ...). */
  readonly volumes?: ReadonlyArray<{
    readonly name?: string;
    readonly hostPath?: unknown;
    readonly [type: string]: unknown;
  }>;
}

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** The pod spec of a workload object, or undefined for other kinds. */
export function podSpecOf(obj: KubernetesObject): PodSpec | undefined {
  // a rendered object as Kubernetes reads it (its shape is the schema check's to judge)
  const spec = obj.spec ?? {};
  switch (obj.kind) {
    case 'Pod':
      return spec as PodSpec;
    case 'CronJob':
      return (valueAt(spec, 'jobTemplate.spec.template.spec') ?? {}) as PodSpec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
    case 'ReplicationController':
      return (valueAt(spec, 'template.spec') ?? {}) as PodSpec;
    default:
      return undefined;
  }
}

/** What the level forbids in the pod spec, one line each; [] when the pod is admitted. */
export function podSecurityViolations(podSpec: PodSpec, level: PodSecurityLevel): string[] {
  if (level === 'privileged') return [];
  const out: string[] = [];
  const containers: Container[] = [
    ...(podSpec.containers ?? []),
    ...(podSpec.initContainers ?? []),
    ...(podSpec.ephemeralContainers ?? []),
  ];
  const psc: SecurityContext = podSpec.securityContext ?? {};
  // baseline
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (podSpec[k] === true) out.push(`${k}: true`);
  for (const v of podSpec.volumes ?? []) if (v.hostPath) out.push(`hostPath volume '${v.name}'`);
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) out.push(`unsafe sysctl ${s.name}`);
  if (
    psc.seLinuxOptions?.type &&
    !/^(container_t|container_init_t|container_kvm_t|container_engine_t)$/.test(psc.seLinuxOptions.type)
  )
    out.push(`SELinux type ${psc.seLinuxOptions.type}`);
  if (psc.windowsOptions?.hostProcess === true) out.push('windows hostProcess');
  for (const c of containers) {
    const sc: SecurityContext = c.securityContext ?? {};
    const name = `container '${c.name}'`;
    if (sc.privileged === true) out.push(`${name}: privileged`);
    for (const cap of sc.capabilities?.add ?? [])
      if (!BASELINE_CAPABILITIES.has(String(cap))) out.push(`${name}: adds capability ${cap}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${name}: hostPort ${p.hostPort}`);
    if (sc.procMount && sc.procMount !== 'Default') out.push(`${name}: procMount ${sc.procMount}`);
    const seccomp = sc.seccompProfile?.type;
    if (seccomp === 'Unconfined') out.push(`${name}: seccomp Unconfined`);
    if (sc.windowsOptions?.hostProcess === true) out.push(`${name}: windows hostProcess`);
  }
  if (psc.seccompProfile?.type === 'Unconfined') out.push('pod: seccomp Unconfined');
  if (level === 'baseline') return out;
  // restricted
  for (const v of podSpec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type) && type !== 'hostPath') out.push(`volume '${v.name}' of type ${type}`);
  }
  const podNonRoot = psc.runAsNonRoot === true;
  const podSeccomp = psc.seccompProfile?.type;
  if (psc.runAsUser === 0) out.push('pod: runAsUser 0');
  for (const c of containers) {
    const sc: SecurityContext = c.securityContext ?? {};
    const name = `container '${c.name}'`;
    if (sc.allowPrivilegeEscalation !== false) out.push(`${name}: allowPrivilegeEscalation is not false`);
    const drop: string[] = (sc.capabilities?.drop ?? []).map(String);
    if (!drop.includes('ALL')) out.push(`${name}: does not drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? [])
      if (cap !== 'NET_BIND_SERVICE')
        out.push(`${name}: adds capability ${cap} (restricted allows NET_BIND_SERVICE only)`);
    if (!(sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && podNonRoot)))
      out.push(`${name}: runAsNonRoot is not true`);
    if (sc.runAsUser === 0) out.push(`${name}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${name}: no seccompProfile RuntimeDefault`);
  }
  return out;
}

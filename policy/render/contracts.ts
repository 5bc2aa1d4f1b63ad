/**
 * Per-chart render contracts: what a chart must render for its services to start and be reachable, checked on the
 * rendered objects (a value that is null in a service's rendered config file makes that service crash-loop; the
 * chart renders it anyway).
 */
import { parse } from 'yaml';
import type { KubernetesObject } from '../k8s-objects';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ConfigFileContract {
  /** The ConfigMap and the key of its config file. */
  readonly configMap: string;
  readonly file: string;
  /** Dotted paths that must be set (not null) in the parsed file, with why. */
  readonly required: ReadonlyArray<readonly [path: string, why: string]>;
}

export interface TextContract {
  readonly configMap: string;
  readonly file: string;
  /** A line pattern that must not occur, with why. */
  readonly forbidden: RegExp;
  readonly why: string;
}

export const RENDER_CONTRACTS: Readonly<Record<string, ReadonlyArray<ConfigFileContract | TextContract>>> = {
  'wire-server': [
    {
      configMap: 'brig',
      file: 'brig.yaml',
      required: [
        ['emailSMS.email.smtpEndpoint.host', "brig's options require an SMTP endpoint (brig.config.smtp.host)"],
        ['emailSMS.email.smtpEndpoint.port', 'brig.config.smtp.port'],
        ['emailSMS.email.smtpConnType', 'brig.config.smtp.connType'],
        ['emailSMS.general.smsSender', 'brig.config.emailSMS.general.smsSender (required even without SMS)'],
        ['emailSMS.user.smsActivationUrl', 'brig.config.emailSMS.user.smsActivationUrl'],
      ],
    },
    {
      configMap: 'gundeck',
      file: 'gundeck.yaml',
      required: [['aws.account', 'gundeck builds its queue ARNs from gundeck.config.aws.account']],
    },
    {
      configMap: 'nginz',
      file: 'nginx.conf',
      forbidden: /^\s*listen\s+[^;]*proxy_protocol/m,
      why: "nginz expects the PROXY protocol, but the zone's ingress-nginx sends none (nginz.config.ws.useProxyProtocol)",
    },
  ],
};

const getPath = (obj: Json, p: string) => p.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

/** Problems of a release's rendered objects against its chart's contracts: [object ref, message]. */
export function contractProblems(chart: string, objects: readonly KubernetesObject[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const c of RENDER_CONTRACTS[chart] ?? []) {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === c.configMap);
    const ref = `ConfigMap/${cm?.metadata.namespace ?? ''}/${c.configMap}`;
    const text = (cm as Json)?.data?.[c.file];
    if (typeof text !== 'string') {
      out.push([ref, `the chart renders no ${c.file} in ConfigMap ${c.configMap}`]);
      continue;
    }
    if ('forbidden' in c) {
      const line = c.forbidden.exec(text)?.[0].trim();
      if (line) out.push([ref, `${c.file}: '${line}': ${c.why}`]);
      continue;
    }
    let parsed: Json;
    try {
      parsed = parse(text);
    } catch (e) {
      out.push([ref, `${c.file} is not YAML: ${(e as Error).message}`]);
      continue;
    }
    for (const [p, why] of c.required) {
      if (getPath(parsed, p) == null) out.push([ref, `${c.file}: ${p} is null; ${why}`]);
    }
  }
  return out;
}

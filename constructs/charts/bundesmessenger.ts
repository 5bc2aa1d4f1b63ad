/** BWI's BundesMessenger chart (also the BwMessenger's), from openCode. Not in the offline mirror. */
import { BUNDESMESSENGER_IMAGES } from '../matrix/images';
import type { ChartDescriptor } from './descriptor';

export const BUNDESMESSENGER: ChartDescriptor = {
  chart: 'bundesmessenger',
  version: '1.16.0',
  repository: 'matrix',
  images: BUNDESMESSENGER_IMAGES,
  guard: { ingressClassPath: 'ingress.className' },
  // What our own NetworkPolicies of the namespace must let through; the chart's policies only add to them.
  flows: [
    {
      from: { zoneClient: true },
      to: { zoneIngress: true },
      port: 443,
      what: 'clients in the zone -> zone ingress 443',
    },
    { from: { zoneIngress: true }, to: { pod: 'synapse' }, port: 8008, what: 'zone ingress -> Synapse 8008' },
    {
      from: { pod: 'synapse' },
      to: { zoneClient: true },
      port: 5432,
      what: 'Synapse -> PostgreSQL 5432 (in the zone)',
    },
    {
      from: { pod: 'schadcodescanner' },
      to: { zoneClient: true },
      port: 443,
      what: 'virus scanner -> ClamAV mirror 443 (in the zone)',
    },
  ],
  valueContracts: (v) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const values = v as any;
    const out: string[] = [];
    for (const key of ['dataPrivacyUrl', 'imprintUrl']) {
      if (/^[a-z]+:\/\//i.test(String(values[key] ?? '')))
        out.push(`${key} '${values[key]}' has a scheme: the chart writes https://<value>`);
    }
    for (const m of values.schadcodescanner?.freshclam?.mirrors ?? []) {
      if (!/:\d+$/.test(String(m)))
        out.push(
          `schadcodescanner.freshclam.mirrors entry '${m}' has no port: the chart makes the text after its last ':' a NetworkPolicy port`,
        );
    }
    for (const e of values.networkpolicies?.fwProxyList ?? []) {
      if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(String(e)))
        out.push(
          `networkpolicies.fwProxyList entry '${e}' is not an IPv4 network: the chart allows every port to the network before ':' anyway`,
        );
    }
    if (values.extraConfig?.turn_shared_secret !== undefined)
      out.push(
        'extraConfig.turn_shared_secret lands in the homeserver.yaml ConfigMap: mount the secret and use turn_shared_secret_path',
      );
    return out;
  },
};

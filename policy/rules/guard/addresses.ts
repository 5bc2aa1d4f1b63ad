/** The addresses a free-form text names (annotation values, Helm values), as the guard judges them. */
import { parseAddressOrCidr } from '../../../config/cidr';

/**
 * The IP addresses (and CIDRs) a free-form text names, e.g. an annotation value such as
 * `metallb.universe.tf/loadBalancerIPs: 198.51.100.7,10.64.0.9` or `[2001:db8::1]:443`: every token that reads as
 * an address or CIDR, and every dotted IPv4 address inside a token (`10.64.0.1:80`).
 */
export function addressesIn(text: string): string[] {
  const out = new Set<string>();
  for (const token of text.split(/[\s,;"'[\]{}()=|<>]+/)) {
    if (!token) continue;
    if (parseAddressOrCidr(token)) {
      out.add(token);
      continue;
    }
    for (const m of token.matchAll(/(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,3})?(?![\d.])/g))
      if (parseAddressOrCidr(m[0])) out.add(m[0]);
  }
  return [...out];
}

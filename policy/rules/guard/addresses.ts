/**
 * The addresses a free-form text names, as the guard judges them: the two readings its units need, in one place.
 * {@link addressesOrCidrsIn} reads a value token by token (networks included); {@link ipAddressesIn} finds every
 * address written anywhere in a text, also inside a URL or an option.
 */
import { parseAddressOrCidr, parseIp } from '../../../config/cidr';

/**
 * The IP addresses and CIDRs a value names, token by token, e.g. an annotation value such as
 * `metallb.universe.tf/loadBalancerIPs: 198.51.100.7,10.64.0.9` or `[2001:db8::1]:443`: every token that reads as
 * an address or CIDR, and every dotted IPv4 address inside a token (`10.64.0.1:80`). Used for annotation and Helm
 * values (P1-SERVICE, P1-HELM).
 */
export function addressesOrCidrsIn(text: string): string[] {
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

/**
 * Every IPv4 or IPv6 address (no networks) written somewhere in a text, also inside a URL, a TURN URI or an option
 * (`https://[2001:db8::2]:443/x`, `turn:10.64.0.1:3478`), but not a version or a time (`v1.27.3`, `12:30:45`).
 * Used for the values and command lines of the calling charts (P1-CALLING-IP).
 */
export function ipAddressesIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])/g)) if (parseIp(m[0])) found.push(m[0]);
  for (const m of text.matchAll(/(?<![\w:])[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:\d{1,3}(?:\.\d{1,3}){3})?/g)) {
    if (m[0].includes(':') && parseIp(m[0])) found.push(m[0]);
  }
  return [...new Set(found)];
}

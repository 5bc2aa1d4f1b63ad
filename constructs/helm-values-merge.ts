/**
 * Helm's coalescing of values documents, stated once: the constructs merge their image values into a release's
 * values with it, and the checks read a release's values documents back with it (policy/helm-values.ts), so what
 * is judged is what was written.
 */

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** `over` merged over `base`: maps merge key by key (own keys only), anything else is replaced; undefined keeps. */
export function mergeHelmValues(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = Object.prototype.hasOwnProperty.call(out, k) ? mergeHelmValues(out[k], v) : v;
  }
  return out;
}

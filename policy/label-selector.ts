/**
 * Kubernetes label selectors (`matchLabels`, `matchExpressions`), read as the API server reads them: every
 * requirement must hold; `{}` selects everything. Fail closed for what Kubernetes would refuse: an unknown operator
 * or a malformed requirement selects nothing. Used by the guard (the admission binding's namespaces) and by the
 * render stage (which NetworkPolicies admit a flow); what an absent selector means differs by field and is decided
 * by the caller.
 */
import { field, items } from './synthesized-view';

/** Whether a label selector that is present selects an object with these labels. */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const matchLabels = field(selector, 'matchLabels');
  if (matchLabels !== undefined && matchLabels !== null) {
    if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) return false;
    for (const [k, v] of Object.entries(matchLabels)) if (!has(labels, k) || labels[k] !== v) return false;
  }
  for (const e of items(field(selector, 'matchExpressions'))) {
    const key = field(e, 'key');
    if (typeof key !== 'string') return false;
    const present = has(labels, key);
    const values = items(field(e, 'values'));
    switch (field(e, 'operator')) {
      case 'In':
        if (!present || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const has = (labels: Readonly<Record<string, string>>, key: string) =>
  Object.prototype.hasOwnProperty.call(labels, key);

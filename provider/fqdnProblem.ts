// Host names in certificates must be plain ASCII: an internationalised name goes in as its
// punycode (xn--) form. Unicode look-alikes (Cyrillic "о", fullwidth dots, …) are refused rather
// than normalised, because the certificate would then name a different host than the user read.

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Why `name` is not a valid fully qualified domain name, or undefined when it is.
 * With `allowWildcard`, a leading `*.` label is accepted (as in `*.contoso.com`).
 */
export function fqdnProblem(name: string, options: { allowWildcard?: boolean } = {}): string | undefined {
  if (name.length === 0) return "is empty";
  if (/[^\x21-\x7e]/.test(name)) {
    return "contains a character outside printable ASCII (a space, control character or a unicode look-alike); write internationalised names in their punycode (xn--) form";
  }
  let rest = name.endsWith(".") ? name.slice(0, -1) : name;
  if (rest.startsWith("*.")) {
    if (!options.allowWildcard) return "is a wildcard, which is not allowed here";
    rest = rest.slice(2);
  } else if (rest.includes("*")) {
    return "has a '*' that is not a whole leading label; Lync accepts only the '*.<domain>' form";
  }
  if (rest.length > 253) return `is ${rest.length} characters long; a DNS name has at most 253`;
  const labels = rest.split(".");
  if (labels.length < 2) return "is a single label; give the fully qualified name, e.g. fe01.contoso.com";
  for (const label of labels) {
    if (label.length === 0) return "has an empty label (two dots in a row, or a leading dot)";
    if (label.length > 63)
      return `has the label '${label.slice(0, 20)}…' of ${label.length} characters; a label has at most 63`;
    if (!LABEL.test(label)) {
      return `has the label '${label}'; labels hold letters, digits and inner hyphens only`;
    }
    if (/^..--/.test(label) && !/^xn--/i.test(label)) {
      return `has the label '${label}' with '--' in positions 3-4, reserved for punycode (xn--)`;
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return "ends in a numeric label; IP addresses are not host names";
  return undefined;
}

/**
 * The one spelling a name is compared and requested in: lower case, without the root's trailing
 * dot. A certificate never carries the dot, so a name kept with it would never be covered.
 */
export function canonicalDnsName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

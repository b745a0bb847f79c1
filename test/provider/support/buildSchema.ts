// The Pulumi package schema that the args interfaces of provider/certificateAssignment.ts imply.
// schema.json is committed; the schema test proves the two stay in lock-step.

import { readArgsDocs, type PropertyDoc, type SchemaType } from "./readArgsDocs";

export const RESOURCE_TOKEN = "pulumi-nodejs:dynamic/lync:CertificateAssignment";

interface PropertySpec {
  readonly description: string;
  readonly default?: unknown;
  readonly [key: string]: unknown;
}

function spec(property: PropertyDoc, secret: boolean): PropertySpec {
  const result: Record<string, unknown> = { ...property.type, description: property.description };
  const literal = property.default !== undefined ? parseDefault(property.default) : undefined;
  if (literal !== undefined) result.default = literal;
  if (secret) result.secret = true;
  return result as PropertySpec;
}

/** `@default 22` and `@default "Lync"` are values; `@default - …` is prose and stays out of the schema. */
function parseDefault(text: string): unknown {
  if (text.startsWith("-")) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const SECRET = new Set([
  "password",
  "privateKey",
  "privateKeyPassword",
  "caPassword",
  "pfx",
  "pfxPassword",
  "privateKeyPem",
]);

/** ProxyConnectionArgs omits these from ConnectionArgs: a bastion is reached over SSH, with no further proxy. */
const NOT_FOR_A_BASTION = new Set([
  "proxy",
  "transport",
  "authentication",
  "caCertificate",
  "certificateFingerprint",
  "insecure",
]);

function objectType(description: string, properties: readonly PropertyDoc[]) {
  return {
    type: "object",
    description,
    properties: Object.fromEntries(properties.map((p) => [p.name, spec(p, SECRET.has(p.name))])),
    required: properties.filter((p) => !p.optional).map((p) => p.name),
  };
}

export function buildSchema(path: string) {
  const docs = readArgsDocs(path);
  const get = (name: string) => {
    const found = docs.get(name);
    if (!found) throw new Error(`buildSchema: ${name} not found in ${path}`);
    return found;
  };
  const args = get("CertificateAssignmentArgs");
  const connection = get("ConnectionArgs");
  const outputs: PropertyDoc[] = [
    ...args.filter((p) => p.name !== "certificates"),
    {
      name: "certificates",
      optional: false,
      type: { type: "array", items: { $ref: "#/types/lync:index:CertificateOutput" } } as SchemaType,
      description: "What the server holds for each entry of `certificates`.",
    },
    {
      name: "hostKey",
      optional: false,
      type: { type: "string" },
      description:
        'The identity the server presented: over SSH its host key (OpenSSH public key line); over WinRM the SHA-256 fingerprint of its TLS certificate ("tls-sha256 AB:CD:…", followed by "unverified" when connection.insecure is set).',
    },
    {
      name: "proxyHostKey",
      optional: true,
      type: { type: "string" },
      description:
        "The SSH host key the bastion (connection.proxy) presented, when there is one: recorded at create and required afterwards unless connection.proxy.hostKey pins it.",
    },
    { name: "server", optional: false, type: { type: "string" }, description: "The server's FQDN as it reports it." },
  ];
  return {
    name: "lync",
    displayName: "Lync Server certificates",
    description:
      "Infrastructure as code for the TLS certificates of Lync Server 2013 and Skype for Business Server 2015/2019: a Pulumi dynamic provider that diffs against live Get-CsCertificate and applies changes over remote PowerShell.",
    license: "Apache-2.0",
    resources: {
      [RESOURCE_TOKEN]: {
        description:
          "The certificates of one Lync Server 2013 / Skype for Business Server: which certificate, with which names, serves which usage. Compared with the live `Get-CsCertificate` on every preview.",
        inputProperties: Object.fromEntries(args.map((p) => [p.name, spec(p, p.name === "connection")])),
        requiredInputs: args.filter((p) => !p.optional).map((p) => p.name),
        properties: Object.fromEntries(outputs.map((p) => [p.name, spec(p, p.name === "connection")])),
        required: outputs.filter((p) => !p.optional).map((p) => p.name),
      },
    },
    types: {
      "lync:index:Connection": objectType(
        'How to reach the server: over SSH (the same shape and names as @pulumi/command\'s remote.ConnectionArgs), or over WinRM with transport "winrm" (the same names where they mean the same).',
        connection,
      ),
      "lync:index:ProxyConnection": objectType(
        "A bastion host (SSH only): the same fields as an SSH connection, without a further proxy.",
        connection.filter((p) => !NOT_FOR_A_BASTION.has(p.name)),
      ),
      "lync:index:Certificate": objectType(
        "One certificate and the usages it serves; one entry with several usages is a combined certificate.",
        get("CertificateArgs"),
      ),
      "lync:index:SipDomain": objectType("A SIP domain of the deployment.", get("SipDomainArgs")),
      "lync:index:CertificateOutput": objectType(
        "What the server holds for one entry of `certificates`.",
        get("CertificateOutput"),
      ),
    },
  };
}

// The certificate of a server's WinRM HTTPS listener: CN and DNS name the server's FQDN, Server
// Authentication, issued by the topology's first CA (as an administrator enrolls one from the domain's
// enterprise CA), or self-signed when the topology has no CA (as New-SelfSignedCertificate makes one).
// Kept in the state directory, so its fingerprint stays the same across restarts and can be pinned.
//
//   <stateDir>/winrm/<fqdn>.pem   (private key, then certificate)
//   <stateDir>/winrm/ca.pem       (the issuing CA's root, for clients that verify: curl --cacert)

import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import forge from "node-forge";
import type { CertificationAuthority } from "../certificationAuthority";
import { atomicWrite } from "../emulatorState";
import { createCsr, generateRsaKeyPairAsync, pemToDer, publicKeyOfPrivateKey, signCertificate } from "../x509";

export interface ListenerCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by colons (as Node and OpenSSL print it). */
  readonly fingerprint256: string;
}

/** The listener certificate of `fqdn`, issued on first use (its key made off the event loop). */
export async function listenerCertificate(
  stateDir: string,
  fqdn: string,
  authority: CertificationAuthority | undefined,
): Promise<ListenerCertificate> {
  const file = path.join(stateDir, "winrm", `${fqdn.toLowerCase()}.pem`);
  mkdirSync(path.dirname(file), { recursive: true });
  if (authority) atomicWrite(path.join(stateDir, "winrm", "ca.pem"), authority.rootCertificatePem, 0o644);
  if (!existsSync(file)) {
    const keys = await generateRsaKeyPairAsync(2048);
    const certificatePem = authority
      ? authority.issue(createCsr({ privateKeyPem: keys.privateKeyPem, subject: fqdn, dnsNames: [fqdn] }), {
          now: new Date(),
        })
      : selfSigned(fqdn, keys.privateKeyPem);
    atomicWrite(file, `${keys.privateKeyPem.trim()}\n${certificatePem.trim()}\n`);
  }
  const text = readFileSync(file, "utf8");
  const block = (label: string): string => {
    const match = new RegExp(`-----BEGIN ${label}-----[^-]+-----END ${label}-----`).exec(text);
    if (!match) throw new Error(`reading WinRM listener certificate ${file}: no ${label}; delete it to make a new one`);
    return `${match[0]}\n`;
  };
  const certificatePem = block("CERTIFICATE");
  return {
    certificatePem,
    privateKeyPem: block("PRIVATE KEY"),
    fingerprint256: fingerprint256(certificatePem),
  };
}

export function fingerprint256(certificatePem: string): string {
  const hex = createHash("sha256").update(pemToDer(certificatePem)).digest("hex").toUpperCase();
  return hex.match(/../g)?.join(":") ?? hex;
}

function selfSigned(fqdn: string, privateKeyPem: string): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOfPrivateKey(privateKeyPem);
  cert.serialNumber = `01${randomBytes(15).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const name = [{ shortName: "CN", value: fqdn }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: [{ type: 2, value: fqdn }] },
  ]);
  signCertificate(cert, privateKeyPem);
  return forge.pki.certificateToPem(cert);
}

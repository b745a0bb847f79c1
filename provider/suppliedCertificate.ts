// Certificates the user brings (PFX, PEM pair, or the answer to an offline request): read locally
// before anything is sent, so a wrong file is refused before the server is touched.

import { randomBytes } from "node:crypto";
import forge from "node-forge";
import type { CertificateSource } from "./desiredCertificates";
import { inspectCertificate, type CertificateFacts } from "./inspectCertificate";

export interface SuppliedCertificate {
  readonly facts: CertificateFacts;
  /** What Import-CsCertificate gets: the file's bytes (base64) and its password. */
  readonly file: { readonly base64: string; readonly password?: string; readonly extension: "pfx" | "cer" };
}

export function readSuppliedCertificate(source: CertificateSource, where: string): SuppliedCertificate | undefined {
  switch (source.kind) {
    case "pfx": {
      let asn1: forge.asn1.Asn1;
      let p12: forge.pkcs12.Pkcs12Pfx;
      try {
        asn1 = forge.asn1.fromDer(forge.util.decode64(source.pfx.replace(/\s+/g, "")));
        p12 = forge.pkcs12.pkcs12FromAsn1(asn1, source.pfxPassword ?? "");
      } catch (error) {
        throw new Error(
          `${where}: reading pfx failed (${(error as Error).message}); check pfx is the PFX file in base64 and pfxPassword opens it`,
          {
            cause: error,
          },
        );
      }
      const certificates = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
      const keys = [
        ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
        ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
      ];
      if (keys.length === 0) throw new Error(`${where}: the pfx holds no private key; export it with its private key`);
      // The end-entity certificate is the one whose public key matches the private key.
      const key = keys[0].key as forge.pki.rsa.PrivateKey | undefined;
      const leaf =
        certificates.find((bag) => {
          const publicKey = bag.cert?.publicKey as forge.pki.rsa.PublicKey | undefined;
          return key && publicKey && publicKey.n.equals(key.n);
        }) ?? certificates[0];
      if (!leaf?.cert) throw new Error(`${where}: the pfx holds no certificate`);
      const der = forge.asn1.toDer(forge.pki.certificateToAsn1(leaf.cert)).getBytes();
      return {
        facts: inspectCertificate(Buffer.from(der, "binary").toString("base64")),
        file: { base64: source.pfx.replace(/\s+/g, ""), password: source.pfxPassword, extension: "pfx" },
      };
    }
    case "pem": {
      const facts = inspectCertificate(source.certificatePem);
      let key: forge.pki.rsa.PrivateKey;
      let certificate: forge.pki.Certificate;
      try {
        key = forge.pki.privateKeyFromPem(source.privateKeyPem);
        certificate = forge.pki.certificateFromPem(source.certificatePem);
      } catch (error) {
        throw new Error(
          `${where}: reading certificatePem/privateKeyPem failed (${(error as Error).message}); give an RSA certificate and its unencrypted private key`,
          {
            cause: error,
          },
        );
      }
      if (!(certificate.publicKey as forge.pki.rsa.PublicKey).n.equals(key.n)) {
        throw new Error(
          `${where}: privateKeyPem does not belong to certificatePem (${facts.thumbprint}); give the certificate's own key`,
        );
      }
      // Lync imports keys through a PFX; a one-time random password protects it in transit and on disk.
      const password = randomBytes(18).toString("base64");
      const p12 = forge.pkcs12.toPkcs12Asn1(key, [certificate], password, { algorithm: "3des" });
      return {
        facts,
        file: { base64: forge.util.encode64(forge.asn1.toDer(p12).getBytes()), password, extension: "pfx" },
      };
    }
    case "offline": {
      if (!source.issuedCertificatePem) return undefined;
      const facts = inspectCertificate(source.issuedCertificatePem);
      return { facts, file: { base64: Buffer.from(facts.pem, "utf8").toString("base64"), extension: "cer" } };
    }
    default:
      return undefined;
  }
}

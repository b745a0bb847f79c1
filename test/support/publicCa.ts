// A CA that is not the topology's: what a public CA is to an emulated server. Issues certificates
// for the end-to-end tests' bring-your-own PFX and PEM pairs and answers offline requests.

import forge from "node-forge";
import { CertificationAuthority } from "lync-server-emulator/dist/certificationAuthority";
import { createCsr, generateRsaKeyPair, writePfx } from "lync-server-emulator/dist/x509";

export interface IssuedPair {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export class PublicCa {
  private readonly authority = CertificationAuthority.create(
    { name: "public\\Test Public CA", commonName: "Test Public Root CA", enrollers: [], templates: ["WebServer"] },
    {
      sipDomains: ["example.org"],
      sites: [],
      pools: [],
      simpleUrls: { meet: [], dialin: "" },
      certificationAuthorities: [],
    },
    new Date(),
  );

  get rootCertificatePem(): string {
    return this.authority.rootCertificatePem;
  }

  /** A new key and the certificate this CA issues for it. */
  issuePair(bits: number, subject: string, dnsNames: readonly string[]): IssuedPair {
    const key = generateRsaKeyPair(bits);
    const csr = createCsr({ privateKeyPem: key.privateKeyPem, subject, dnsNames });
    return { certificatePem: this.answer(csr), privateKeyPem: key.privateKeyPem };
  }

  /** The certificate issued for a CSR (the answer to an offline request), valid from `now`. */
  answer(csrPem: string, now = new Date()): string {
    return this.authority.issue(csrPem, { now });
  }

  /** The answer to a CSR without some of the names it asks for: a CA that does not honour every SAN. */
  answerWithout(csrPem: string, dropped: readonly string[]): string {
    const certificate = forge.pki.certificateFromPem(this.answer(csrPem));
    const drop = new Set(dropped.map((n) => n.toLowerCase()));
    const extensions = certificate.extensions.map((extension: { name: string; altNames?: { value: string }[] }) =>
      extension.name === "subjectAltName"
        ? { name: "subjectAltName", altNames: extension.altNames!.filter((n) => !drop.has(n.value.toLowerCase())) }
        : extension,
    );
    certificate.setExtensions(extensions);
    certificate.sign(forge.pki.privateKeyFromPem(this.authority.state.rootPrivateKeyPem), forge.md.sha256.create());
    return forge.pki.certificateToPem(certificate);
  }

  /** A PFX of the pair with this CA's root as its chain, in base64. */
  pfxBase64(pair: IssuedPair, password: string): string {
    return Buffer.from(writePfx(pair.certificatePem, pair.privateKeyPem, password, [this.rootCertificatePem])).toString(
      "base64",
    );
  }
}

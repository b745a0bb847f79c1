// The TLS connection to a WinRM listener, verified before a single byte of HTTP (and so of any
// credential) is written: against the CA the user gave, or the SHA-256 fingerprint pinned in the
// connection, or the one recorded in the state at create (trust on first use, as an SSH host key);
// unverified only when the user says `insecure: true`, and the recorded identity then says so.

import { createHash, X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import * as tls from "node:tls";
import type { ConnectionInputs } from "./providerInputs";

/** How the state records a listener's certificate: "tls-sha256 AB:CD:…", like an OpenSSH key line. */
export const TLS_IDENTITY_TYPE = "tls-sha256";
const UNVERIFIED = "unverified";

/** "AB:CD:…" (upper case, colons) from any spelling of a SHA-256 fingerprint, or undefined if it is none. */
export function normaliseFingerprint(text: string): string | undefined {
  const hex = text
    .trim()
    .replace(/^(sha-?256|tls-sha256)[:\s]\s*/i, "")
    .replace(/[:\s]/g, "");
  if (!/^[0-9A-Fa-f]{64}$/.test(hex)) return undefined;
  return hex.toUpperCase().match(/../g)!.join(":");
}

/** The recorded identity of a certificate presented to the provider. */
export function tlsIdentity(fingerprint: string, verified: boolean): string {
  return `${TLS_IDENTITY_TYPE} ${fingerprint}${verified ? "" : ` ${UNVERIFIED}`}`;
}

/** The fingerprint a recorded identity holds, if it is a TLS one (an SSH key line is not). */
export function recordedFingerprint(identity: string | undefined): string | undefined {
  const [type, fingerprint] = (identity ?? "").trim().split(/\s+/);
  return type === TLS_IDENTITY_TYPE ? normaliseFingerprint(fingerprint ?? "") : undefined;
}

/** A listener certificate that is not the expected one. */
export class TlsCertificateMismatchError extends Error {
  constructor(host: string, expected: string, presented: string, pinned: boolean) {
    super(
      `connecting to ${host}: TLS certificate mismatch: expected SHA-256 ${expected}, the server presented ${presented}; ` +
        (pinned
          ? "if the listener's certificate really changed, update connection.certificateFingerprint"
          : "the certificate differs from the one recorded when the resource was created; if the listener's certificate was renewed, set connection.certificateFingerprint to the new fingerprint or connection.caCertificate to its issuing CA"),
    );
    this.name = "TlsCertificateMismatchError";
  }
}

/** A certificate that the connection's CA does not vouch for, or that names another host. */
export class TlsCertificateUntrustedError extends Error {}

/** The port answered, but not with TLS: WinRM's HTTP listener (5985), most likely. */
export class NotTlsError extends Error {}

export interface VerifiedSocket {
  readonly socket: tls.TLSSocket;
  /** What the state records: tlsIdentity(fingerprint, verified). */
  readonly identity: string;
}

/** Opens and verifies the TLS connection; rejects with one of the errors above, or a network error. */
export function dialTls(
  connection: ConnectionInputs,
  port: number,
  recordedIdentity: string | undefined,
  timeoutMs: number,
): Promise<VerifiedSocket> {
  const byCa = connection.caCertificate !== undefined;
  return new Promise<VerifiedSocket>((resolve, reject) => {
    const socket = tls.connect({
      host: connection.host,
      port,
      servername: isIP(connection.host) ? undefined : connection.host,
      ca: byCa ? [connection.caCertificate!] : undefined,
      rejectUnauthorized: false,
      // Old listeners (Windows Server 2012 R2) speak TLS 1.2 at best.
      minVersion: "TLSv1.2",
      timeout: timeoutMs,
    });
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once("timeout", () => fail(new Error(`no TLS handshake within ${Math.round(timeoutMs / 1000)} s`)));
    socket.once("error", (error: NodeJS.ErrnoException) => fail(tlsError(connection, port, error)));
    socket.once("secureConnect", () => {
      socket.setTimeout(0);
      const certificate = socket.getPeerX509Certificate();
      if (!certificate) return fail(new Error("the server presented no TLS certificate"));
      const fingerprint = normaliseFingerprint(createHash("sha256").update(certificate.raw).digest("hex"))!;
      try {
        resolve({ socket, identity: verify(connection, socket, certificate, fingerprint, recordedIdentity) });
      } catch (error) {
        fail(error as Error);
      }
    });
  });
}

function verify(
  connection: ConnectionInputs,
  socket: tls.TLSSocket,
  certificate: X509Certificate,
  fingerprint: string,
  recordedIdentity: string | undefined,
): string {
  if (connection.certificateFingerprint === undefined && connection.caCertificate !== undefined) {
    // Node checked the chain against the CA and, once it held, the host name (checkServerIdentity).
    const error = socket.authorized ? undefined : String(socket.authorizationError);
    const problem =
      error === "ERR_TLS_CERT_ALTNAME_INVALID"
        ? `it does not name ${connection.host} (subject ${certificate.subject.replace(/\n/g, ", ")})`
        : error;
    if (problem) {
      throw new TlsCertificateUntrustedError(
        `connecting to ${connection.host}: the listener's TLS certificate is not trusted by connection.caCertificate: ${problem}; give the CA that issued the WinRM listener's certificate, or pin it with connection.certificateFingerprint`,
      );
    }
  }
  const identity = tlsIdentity(fingerprint, connection.insecure !== true);
  checkTlsIdentity(connection, recordedIdentity, identity);
  return identity;
}

/**
 * Refuses an identity (a presented certificate's) that is not the pinned fingerprint or, when
 * neither a CA nor `insecure` decides, not the one recorded; also for a connection opened earlier.
 */
export function checkTlsIdentity(
  connection: ConnectionInputs,
  recordedIdentity: string | undefined,
  identity: string,
): void {
  const presented = recordedFingerprint(identity)!;
  const pinned = connection.certificateFingerprint;
  if (pinned !== undefined) {
    const expected = normaliseFingerprint(pinned) ?? pinned;
    if (expected !== presented) throw new TlsCertificateMismatchError(connection.host, expected, presented, true);
    return;
  }
  if (connection.caCertificate !== undefined || connection.insecure === true) return;
  const recorded = recordedFingerprint(recordedIdentity);
  if (recorded !== undefined && recorded !== presented)
    throw new TlsCertificateMismatchError(connection.host, recorded, presented, false);
}

function tlsError(connection: ConnectionInputs, port: number, error: NodeJS.ErrnoException): Error {
  // OpenSSL's words for a peer that answered the ClientHello with plain HTTP.
  if (/wrong version number|packet length too long|http request/i.test(error.message) || error.code === "EPROTO") {
    return new NotTlsError(
      `${connection.host}:${port} does not speak TLS (is it WinRM's HTTP listener, port 5985?); the provider sends credentials over HTTPS only: use the HTTPS listener (port 5986, "winrm quickconfig -transport:https")`,
      { cause: error },
    );
  }
  return error;
}

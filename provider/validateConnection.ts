// check()'s rules for `connection`: what each transport needs. SSH (the default) logs in with a
// password or a key and may go through a bastion; WinRM (transport "winrm") logs in with a user and
// a password over HTTPS and verifies the listener's TLS certificate.

import { hasControlCharacters, isPlainObject, show, type Fail } from "./inputChecks";
import { isUnknown } from "./providerInputs";
import { normaliseFingerprint } from "./winrmTls";

const HOST_KEY_FORM =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|rsa-sha2-(256|512)) [A-Za-z0-9+/]+={0,3}( .*)?$/;
const SSH_ONLY = ["privateKey", "privateKeyPassword", "hostKey", "proxy"] as const;
const WINRM_ONLY = ["authentication", "caCertificate", "certificateFingerprint", "insecure"] as const;
const TLS_CHOICES = ["caCertificate", "certificateFingerprint", "insecure"] as const;

const isSet = (value: unknown) => value !== undefined && !isUnknown(value);

/**
 * The double hop: a Windows OpenSSH session opened with a key, and any WinRM logon (NTLM or Basic),
 * has no network credentials, so Request-CsCertificate cannot authenticate to an enterprise CA from
 * it unless it is given an account and password of its own.
 */
export function validateCaLogin(connection: unknown, certificates: unknown, fail: Fail): void {
  if (!isPlainObject(connection) || !Array.isArray(certificates)) return;
  const winrm = connection.transport === "winrm";
  const keyLogin =
    connection.privateKey !== undefined && connection.password === undefined && !isUnknown(connection.privateKey);
  certificates.forEach((entry, index) => {
    if (!isPlainObject(entry) || entry.ca === undefined || isUnknown(entry.ca)) return;
    const path = `certificates[${index}]`;
    if (entry.caAccount !== undefined && entry.caPassword === undefined) {
      fail(
        `${path}.caPassword`,
        `caAccount ${show(entry.caAccount)} needs caPassword: Request-CsCertificate authenticates to the CA with both; set caPassword (a secret)`,
      );
    }
    if (entry.caAccount !== undefined) return;
    if (winrm) {
      fail(
        `${path}.caAccount`,
        `an online request to ${show(entry.ca)} over WinRM cannot reach the CA: Windows gives an NTLM or Basic WinRM logon no network credentials (the double hop); set caAccount and caPassword for the request, or use transport "ssh" with a password`,
      );
    } else if (keyLogin) {
      fail(
        `${path}.caAccount`,
        `an online request to ${show(entry.ca)} from an SSH key login cannot reach the CA: Windows gives a key login no network credentials (the double hop); log in with connection.password instead, or set caAccount and caPassword for the request`,
      );
    }
  });
}

export function validateConnection(connection: unknown, path: string, fail: Fail, requireCredential: boolean): unknown {
  if (isUnknown(connection)) return connection;
  if (!isPlainObject(connection)) {
    fail(
      path,
      `${path} must be an object with at least host and user, got ${connection === undefined ? "nothing" : typeof connection}`,
    );
    return connection;
  }
  const normalised: Record<string, unknown> = { ...connection };
  const transport = connection.transport;
  if (isSet(transport) && transport !== "ssh" && transport !== "winrm") {
    fail(
      `${path}.transport`,
      `${path}.transport must be "ssh" (OpenSSH, the default) or "winrm" (WS-Management over HTTPS), got ${show(transport)}`,
    );
  }
  validateAddress(connection, path, fail);
  for (const field of ["user", "password", "privateKey", "privateKeyPassword"]) {
    const value = connection[field];
    if (value !== undefined && !isUnknown(value) && typeof value !== "string") {
      // Never echo a credential, not even a malformed one.
      fail(`${path}.${field}`, `${path}.${field} must be a string, got a ${typeof value}`);
    }
  }
  if (transport === "winrm") {
    validateWinrm(connection, normalised, path, fail);
    return normalised;
  }
  for (const field of WINRM_ONLY) {
    if (connection[field] !== undefined) {
      fail(
        `${path}.${field}`,
        `${path}.${field} applies to WinRM connections only; set ${path}.transport to "winrm" or remove ${field}`,
      );
    }
  }
  if (
    requireCredential &&
    connection.password === undefined &&
    connection.privateKey === undefined &&
    !isUnknown(connection.password) &&
    !isUnknown(connection.privateKey)
  ) {
    fail(`${path}`, `${path} has neither password nor privateKey; set one of them so the provider can log in over SSH`);
  }
  const hostKey = connection.hostKey;
  if (isSet(hostKey)) {
    if (typeof hostKey !== "string" || !HOST_KEY_FORM.test(hostKey.trim())) {
      fail(
        `${path}.hostKey`,
        `${path}.hostKey must be an OpenSSH public key line such as "ssh-ed25519 AAAAC3Nz…", got ${show(hostKey)}; copy it from the server's ssh_host_*_key.pub or ssh-keyscan`,
      );
    } else {
      const key = canonicalHostKey(hostKey.trim());
      if (typeof key === "string") normalised.hostKey = key;
      else fail(`${path}.hostKey`, `${path}.hostKey ${key.problem}`);
    }
  }
  const proxy = connection.proxy;
  if (isPlainObject(proxy) && proxy.transport !== undefined && proxy.transport !== "ssh") {
    fail(`${path}.proxy.transport`, `a bastion (${path}.proxy) is reached over SSH; remove ${path}.proxy.transport`);
  } else if (proxy !== undefined) {
    normalised.proxy = validateConnection(proxy, `${path}.proxy`, fail, true);
  }
  return normalised;
}

/** host, port and the dial settings: the same meaning over both transports. */
function validateAddress(connection: Record<string, unknown>, path: string, fail: Fail): void {
  const host = connection.host;
  if (!isUnknown(host)) {
    if (typeof host !== "string" || host.length === 0) {
      fail(`${path}.host`, `${path}.host must be the server's host name or IP address, got ${show(host)}`);
    } else if (/\s/.test(host) || hasControlCharacters(host)) {
      fail(
        `${path}.host`,
        `${path}.host ${show(host)} contains whitespace or control characters; give a host name or IP address`,
      );
    }
  }
  const port = connection.port;
  if (isSet(port) && !(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536)) {
    fail(`${path}.port`, `${path}.port must be a TCP port between 1 and 65535, got ${show(port)}`);
  }
  const limit = connection.dialErrorLimit;
  if (isSet(limit) && !(Number.isInteger(limit) && (limit as number) >= -1)) {
    fail(
      `${path}.dialErrorLimit`,
      `${path}.dialErrorLimit must be a whole number of attempts (-1 for unlimited), got ${show(limit)}`,
    );
  }
  const timeout = connection.perDialTimeout;
  if (isSet(timeout) && !(Number.isInteger(timeout) && (timeout as number) > 0)) {
    fail(
      `${path}.perDialTimeout`,
      `${path}.perDialTimeout must be a whole number of seconds greater than 0, got ${show(timeout)}`,
    );
  }
}

/** What a WinRM connection needs: a user and password, one way to trust the listener's certificate at most. */
function validateWinrm(
  connection: Record<string, unknown>,
  normalised: Record<string, unknown>,
  path: string,
  fail: Fail,
): void {
  for (const field of SSH_ONLY) {
    if (connection[field] !== undefined) {
      fail(
        `${path}.${field}`,
        `${path}.${field} applies to SSH connections only; a WinRM connection logs in with user and password over HTTPS: remove ${field}, or set ${path}.transport to "ssh"`,
      );
    }
  }
  if (connection.user === undefined) {
    fail(
      `${path}.user`,
      `a WinRM connection needs ${path}.user, e.g. "CONTOSO\\\\lyncadmin" or "lyncadmin" for a local account`,
    );
  }
  if (connection.password === undefined) {
    fail(`${path}.password`, `a WinRM connection needs ${path}.password: NTLM and Basic both log in with a password`);
  }
  const authentication = connection.authentication;
  if (isSet(authentication) && authentication !== "ntlm" && authentication !== "basic") {
    fail(
      `${path}.authentication`,
      `${path}.authentication must be "ntlm" (domain and local accounts) or "basic" (local accounts only), got ${show(authentication)}`,
    );
  }
  const user = connection.user;
  if (authentication === "basic" && typeof user === "string" && /[\\@]/.test(user)) {
    fail(
      `${path}.authentication`,
      `WinRM's Basic authentication takes local accounts only, and ${show(user)} is a domain account; use authentication "ntlm", or a local account such as "lyncadmin"`,
    );
  }
  const chosen = TLS_CHOICES.filter((field) => connection[field] !== undefined && connection[field] !== false);
  if (chosen.length > 1) {
    fail(
      `${path}.${chosen[1]}`,
      `${path} sets ${chosen.join(" and ")}; the listener's certificate is trusted one way: keep one of them`,
    );
  }
  const ca = connection.caCertificate;
  if (isSet(ca) && (typeof ca !== "string" || !ca.includes("-----BEGIN CERTIFICATE-----"))) {
    fail(
      `${path}.caCertificate`,
      `${path}.caCertificate must be the PEM certificate ("-----BEGIN CERTIFICATE-----…") of the CA that issued the WinRM listener's certificate`,
    );
  }
  const fingerprint = connection.certificateFingerprint;
  if (isSet(fingerprint)) {
    const canonical = typeof fingerprint === "string" ? normaliseFingerprint(fingerprint) : undefined;
    if (canonical) normalised.certificateFingerprint = canonical;
    else {
      fail(
        `${path}.certificateFingerprint`,
        `${path}.certificateFingerprint must be the SHA-256 fingerprint of the listener's certificate, 64 hexadecimal digits with or without colons (openssl x509 -noout -fingerprint -sha256), got ${show(fingerprint)}`,
      );
    }
  }
  const insecure = connection.insecure;
  if (isSet(insecure) && typeof insecure !== "boolean") {
    fail(`${path}.insecure`, `${path}.insecure must be true or false, got ${show(insecure)}`);
  }
}

/**
 * The host key line as the server presents it. rsa-sha2-256 and rsa-sha2-512 name signature
 * algorithms, not key types: the key itself is ssh-rsa (same blob), which is what a server shows
 * and what the transport compares, so such a line is rewritten rather than never matching.
 */
function canonicalHostKey(line: string): string | { problem: string } {
  const [declared, base64, ...comment] = line.split(/\s+/);
  const blob = Buffer.from(base64, "base64");
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (length < 1 || length > blob.length - 4) {
    return {
      problem: `is not a valid OpenSSH public key (its base64 part does not hold a key); copy it from the server's ssh_host_*_key.pub or ssh-keyscan`,
    };
  }
  const actual = blob.subarray(4, 4 + length).toString("latin1");
  const expected = /^rsa-sha2-(256|512)$/.test(declared) ? "ssh-rsa" : declared;
  if (actual !== expected) {
    return {
      problem: `starts with ${declared} but holds an ${actual} key; write it as the server shows it: "${actual} ${base64}"`,
    };
  }
  return [expected, base64, ...comment].join(" ");
}

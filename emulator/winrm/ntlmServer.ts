// The server side of NTLM (MS-NLMP) as a Windows server's SSPI plays it inside HTTP Negotiate: read the
// client's NEGOTIATE_MESSAGE, answer with a CHALLENGE_MESSAGE naming the domain and the server, and
// check the AUTHENTICATE_MESSAGE's NTLMv2 response against the account's password.
//
// The NT hash (MD4) comes from @ewsjs/ntlm-client, whose js-md4 works where Node's OpenSSL 3 has no MD4;
// HMAC-MD5 is node:crypto's. No maintained package reads the server's side of the messages (ntlm-parser
// throws on the Type 1 that @ewsjs/ntlm-client writes), so the three fixed layouts are read here.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createNTLMHash } from "@ewsjs/ntlm-client/lib/hash";

const SIGNATURE = Buffer.from("NTLMSSP\0", "ascii");

const FLAG = {
  unicode: 0x00000001,
  oem: 0x00000002,
  requestTarget: 0x00000004,
  sign: 0x00000010,
  seal: 0x00000020,
  ntlm: 0x00000200,
  alwaysSign: 0x00008000,
  targetTypeDomain: 0x00010000,
  extendedSessionSecurity: 0x00080000,
  targetInfo: 0x00800000,
  version: 0x02000000,
  bits128: 0x20000000,
  keyExchange: 0x40000000,
  bits56: 0x80000000,
} as const;

/** The names a domain member puts in its challenge (MsvAvNbDomainName and the rest). */
export interface NtlmServerNames {
  /** "CONTOSO" */
  readonly netbiosDomain: string;
  /** "FE01" */
  readonly netbiosComputer: string;
  /** "contoso.com" */
  readonly dnsDomain: string;
  /** "fe01.contoso.com" */
  readonly dnsComputer: string;
}

/** A challenge sent on one connection, kept until the client authenticates on it. */
export interface NtlmChallenge {
  readonly serverChallenge: Buffer;
  readonly unicode: boolean;
  /** The CHALLENGE_MESSAGE. */
  readonly message: Buffer;
}

/** What the client claims in its AUTHENTICATE_MESSAGE. */
export interface NtlmAuthenticate {
  readonly user: string;
  readonly domain: string;
  readonly workstation: string;
  readonly ntResponse: Buffer;
}

/** The message type (1, 2 or 3) of a raw NTLMSSP token; undefined for anything else (a SPNEGO token). */
export function ntlmMessageType(token: Buffer): number | undefined {
  if (token.length < 12 || !token.subarray(0, 8).equals(SIGNATURE)) return undefined;
  return token.readUInt32LE(8);
}

/** Answers a NEGOTIATE_MESSAGE as Windows Server 2012 R2 does. */
export function createChallenge(negotiate: Buffer, names: NtlmServerNames, now: Date): NtlmChallenge {
  const requested = negotiate.length >= 16 ? negotiate.readUInt32LE(12) : 0;
  const unicode = (requested & FLAG.unicode) !== 0 || (requested & FLAG.oem) === 0;
  const echoed = requested & (FLAG.sign | FLAG.seal | FLAG.bits128 | FLAG.bits56 | FLAG.keyExchange);
  const flags =
    (unicode ? FLAG.unicode : FLAG.oem) |
    FLAG.requestTarget |
    FLAG.ntlm |
    FLAG.alwaysSign |
    FLAG.targetTypeDomain |
    FLAG.extendedSessionSecurity |
    FLAG.targetInfo |
    FLAG.version |
    echoed;
  const targetName = Buffer.from(names.netbiosDomain, unicode ? "utf16le" : "latin1");
  const targetInfo = Buffer.concat([
    avPair(2, names.netbiosDomain),
    avPair(1, names.netbiosComputer),
    avPair(4, names.dnsDomain),
    avPair(3, names.dnsComputer),
    avPair(5, names.dnsDomain),
    avTimestamp(now),
    Buffer.alloc(4), // MsvAvEOL
  ]);
  const serverChallenge = randomBytes(8);
  const header = Buffer.alloc(56);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(2, 8);
  writeSecurityBuffer(header, 12, targetName.length, 56);
  header.writeUInt32LE(flags >>> 0, 20);
  serverChallenge.copy(header, 24);
  writeSecurityBuffer(header, 40, targetInfo.length, 56 + targetName.length);
  // Version: 6.3 build 9600 (Windows Server 2012 R2), NTLMSSP revision 15.
  header.writeUInt8(6, 48);
  header.writeUInt8(3, 49);
  header.writeUInt16LE(9600, 50);
  header.writeUInt8(15, 55);
  return { serverChallenge, unicode, message: Buffer.concat([header, targetName, targetInfo]) };
}

/** Reads an AUTHENTICATE_MESSAGE; undefined when its buffers point outside it. */
export function readAuthenticate(message: Buffer, challenge: NtlmChallenge): NtlmAuthenticate | undefined {
  if (ntlmMessageType(message) !== 3 || message.length < 52) return undefined;
  const field = (offset: number): Buffer | undefined => {
    const length = message.readUInt16LE(offset);
    const start = message.readUInt32LE(offset + 4);
    return start + length <= message.length ? message.subarray(start, start + length) : undefined;
  };
  const [ntResponse, domain, user, workstation] = [20, 28, 36, 44].map(field);
  if (!ntResponse || !domain || !user || !workstation) return undefined;
  const encoding = challenge.unicode ? "utf16le" : "latin1";
  return {
    user: user.toString(encoding),
    domain: domain.toString(encoding),
    workstation: workstation.toString(encoding),
    ntResponse,
  };
}

/**
 * True when the NTLMv2 response proves knowledge of `password` for the user and domain the client named.
 * NTLMv1 (a 24-byte response) is refused, as a domain at LmCompatibilityLevel 5 refuses it. [guess: the level]
 */
export function verifyNtlmV2(authenticate: NtlmAuthenticate, challenge: NtlmChallenge, password: string): boolean {
  if (authenticate.ntResponse.length <= 24) return false;
  const proof = authenticate.ntResponse.subarray(0, 16);
  const blob = authenticate.ntResponse.subarray(16);
  const identity = Buffer.from(authenticate.user.toUpperCase() + authenticate.domain, "utf16le");
  const ntowfV2 = createHmac("md5", createNTLMHash(password)).update(identity).digest();
  const expected = createHmac("md5", ntowfV2).update(challenge.serverChallenge).update(blob).digest();
  return timingSafeEqual(expected, proof);
}

function writeSecurityBuffer(target: Buffer, at: number, length: number, offset: number): void {
  target.writeUInt16LE(length, at);
  target.writeUInt16LE(length, at + 2);
  target.writeUInt32LE(offset, at + 4);
}

function avPair(id: number, value: string): Buffer {
  const data = Buffer.from(value, "utf16le");
  const pair = Buffer.alloc(4 + data.length);
  pair.writeUInt16LE(id, 0);
  pair.writeUInt16LE(data.length, 2);
  data.copy(pair, 4);
  return pair;
}

/** MsvAvTimestamp: a FILETIME (100 ns ticks since 1601). */
function avTimestamp(now: Date): Buffer {
  const pair = Buffer.alloc(12);
  pair.writeUInt16LE(7, 0);
  pair.writeUInt16LE(8, 2);
  pair.writeBigUInt64LE((BigInt(now.getTime()) + 11_644_473_600_000n) * 10_000n, 4);
  return pair;
}

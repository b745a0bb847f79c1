// Types for the hashing module of @ewsjs/ntlm-client (the package ships JavaScript only).
declare module "@ewsjs/ntlm-client/lib/hash" {
  /** The NT hash: MD4 of the UTF-16LE password (js-md4, since Node's OpenSSL 3 has no MD4). */
  export function createNTLMHash(password: string): Buffer;
}

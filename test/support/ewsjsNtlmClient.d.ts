// Types for @ewsjs/ntlm-client (the package ships JavaScript only): the client's three NTLM messages.
declare module "@ewsjs/ntlm-client" {
  export interface Type2Message {
    readonly flags: number;
    readonly challenge: Buffer;
    readonly targetName: string;
  }
  /** "NTLM <base64 NEGOTIATE_MESSAGE>" */
  export function createType1Message(workstation?: string, target?: string): string;
  /** Reads a CHALLENGE_MESSAGE given as base64 (or "NTLM <base64>"). */
  export function decodeType2Message(message: string): Type2Message;
  /** "NTLM <base64 AUTHENTICATE_MESSAGE>"; the domain defaults to the challenge's target name. */
  export function createType3Message(
    type2: Type2Message,
    username: string,
    password: string,
    workstation?: string,
    target?: string,
  ): string;
}

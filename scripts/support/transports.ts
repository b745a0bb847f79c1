// The ways the provider reaches a server; the tests that talk to the emulator run over each.

export type Transport = "ssh" | "winrm";
export const TRANSPORTS: readonly Transport[] = ["ssh", "winrm"];

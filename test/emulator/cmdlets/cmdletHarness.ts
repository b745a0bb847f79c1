// Runs one cmdlet against a real emulated server (EmulatorState over a temporary directory, seeded from
// the sample contoso topology) with a hand-made CommandContext: what the interpreter would hand over
// after binding. Script-level tests (runScript) cover binding itself.

import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EmulatorState } from "lync-server-emulator/dist/emulatorState";
import type { LyncHost } from "lync-server-emulator/dist/lyncHost";
import type { LyncServer } from "lync-server-emulator/dist/lyncServer";
import {
  PowerShellError,
  type CommandContext,
  type CommandDefinition,
} from "lync-server-emulator/dist/powershell/command";
import { loadTopology, SAMPLE_TOPOLOGY_PATH } from "lync-server-emulator/dist/topology";
import { createCsr, generateRsaKeyPair, thumbprintOf } from "lync-server-emulator/dist/x509";

export interface TestServer {
  readonly state: EmulatorState;
  readonly host: LyncServer;
  server(fqdn: string): LyncServer;
  dispose(): void;
}

// Seeding makes a CA root and one key per server (seconds); every test starts from a copy of one seeded state.
let template: string | undefined;

function seededTemplate(): string {
  if (template === undefined) {
    const dir = mkdtempSync(path.join(tmpdir(), "lync-cmdlets-template-"));
    EmulatorState.open(dir, loadTopology(SAMPLE_TOPOLOGY_PATH));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    template = dir;
  }
  return template;
}

/** A fresh contoso emulator state; host is fe01.contoso.com (seeded with the pre-mobility certificate). */
export function newTestServer(fqdn = "fe01.contoso.com"): TestServer {
  const dir = mkdtempSync(path.join(tmpdir(), "lync-cmdlets-"));
  cpSync(seededTemplate(), dir, { recursive: true });
  const state = EmulatorState.open(dir, loadTopology(SAMPLE_TOPOLOGY_PATH));
  return {
    state,
    host: state.server(fqdn),
    server: (name) => state.server(name),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface InvokeResult {
  readonly output: unknown[];
  readonly errors: PowerShellError[];
  readonly warnings: string[];
  readonly verbose: string[];
}

export interface InvokeOptions {
  readonly parameterSetName?: string;
  readonly input?: unknown[];
  readonly whatIf?: boolean;
  readonly verbose?: boolean;
}

/** Invokes a command as the interpreter would after binding `parameters` to `parameterSetName`. */
export async function invoke(
  command: CommandDefinition,
  host: LyncHost,
  parameters: Record<string, unknown>,
  options: InvokeOptions = {},
): Promise<InvokeResult> {
  const result: InvokeResult = { output: [], errors: [], warnings: [], verbose: [] };
  const setName =
    options.parameterSetName ??
    command.parameterSets.find((s) => s.isDefault)?.name ??
    command.parameterSets[0]?.name ??
    "__AllParameterSets";
  if (!command.parameterSets.some((s) => s.name === setName)) {
    throw new Error(`test harness: ${command.name} has no parameter set ${setName}`);
  }
  const context: CommandContext = {
    parameters,
    parameterSetName: setName,
    input: options.input ?? [],
    common: { verbose: options.verbose === true, whatIf: options.whatIf === true },
    output: (value) => void result.output.push(value),
    writeError: (error) => void result.errors.push(error),
    writeWarning: (message) => void result.warnings.push(message),
    writeVerbose: (message) => {
      if (options.verbose === true) result.verbose.push(message);
    },
    host,
  };
  await command.invoke(context);
  return result;
}

/** The terminating error a command throws; fails when it does not throw one. */
export async function invokeError(
  command: CommandDefinition,
  host: LyncHost,
  parameters: Record<string, unknown>,
  options: InvokeOptions = {},
): Promise<PowerShellError> {
  try {
    await invoke(command, host, parameters, options);
  } catch (error) {
    if (error instanceof PowerShellError) return error;
    throw new Error(
      `${command.name} threw a plain ${(error as Error)?.name}, not a PowerShellError: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  throw new Error(`${command.name} did not fail`);
}

let testKey: { privateKeyPem: string } | undefined;

/** A certificate from the topology CA (not put in any store), with its key. */
export function issueTestCertificate(
  server: TestServer,
  options: { subject?: string; dnsNames?: readonly string[]; validityDays?: number; keyBits?: number } = {},
): { certificatePem: string; privateKeyPem: string; thumbprint: string } {
  // One key for every test certificate: they still differ (serial, validity), and RSA key generation dominates test time.
  testKey ??= generateRsaKeyPair(2048);
  const keys = options.keyBits === undefined ? testKey : generateRsaKeyPair(options.keyBits);
  const csrPem = createCsr({
    privateKeyPem: keys.privateKeyPem,
    subject: options.subject ?? "CN=pool01.contoso.com",
    dnsNames: options.dnsNames ?? ["pool01.contoso.com", "fe01.contoso.com"],
  });
  const authority = server.state.authority("dc\\myca");
  if (!authority) throw new Error("test harness: the contoso topology has no dc\\myca");
  const certificatePem = authority.issue(csrPem, {
    now: server.host.now(),
    ...(options.validityDays === undefined ? {} : { validityDays: options.validityDays }),
  });
  return { certificatePem, privateKeyPem: keys.privateKeyPem, thumbprint: thumbprintOf(certificatePem) };
}

/** Puts a fresh CA-issued certificate (with its key unless withoutKey) into the host's My store. */
export function storeTestCertificate(
  server: TestServer,
  options: {
    dnsNames?: readonly string[];
    withoutKey?: boolean;
    friendlyName?: string;
    /** Import-CsCertificate -PrivateKeyExportable $true. @default false */
    exportable?: boolean;
    keyBits?: number;
  } = {},
): string {
  const issued = issueTestCertificate(server, options);
  server.host.putCertificate({
    thumbprint: issued.thumbprint,
    certificatePem: issued.certificatePem,
    ...(options.withoutKey ? {} : { privateKeyPem: issued.privateKeyPem }),
    friendlyName: options.friendlyName ?? "test certificate",
    privateKeyExportable: options.exportable === true,
  });
  return issued.thumbprint;
}

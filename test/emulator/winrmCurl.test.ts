// Cross-checks of the WinRM listener with tools nobody here wrote: curl drives a whole remote shell over
// HTTPS with Basic, verifying the certificate against the emulator's CA for the server's FQDN, and
// openssl reads the certificate the listener serves, whose fingerprint the ready line reports.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { requireTool } from "./requireTool";
import { PASSWORD, STDIN_POWERSHELL, useWinRmFixture } from "./winrmFixture";
import { WinRmTestClient } from "../support/winrmTestClient";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", removeNSPrefix: true });
const SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
const TRANSFER = "http://schemas.xmlsoap.org/ws/2004/09/transfer";

/** Runs a tool without blocking the event loop: the emulator answering it lives in this process. */
function runTool(
  command: string,
  args: readonly string[],
  input: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], timeout: 30_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("WinRM listener, cross-checked with curl and openssl", function () {
  this.timeout(60_000);
  const fixture = useWinRmFixture();
  const fe01 = () => fixture.current.emulator.servers.find((s) => s.fqdn === "fe01.contoso.com")!;

  /** POSTs one envelope with curl, with Basic credentials or none (the password goes in a config file). */
  async function curl(envelope: string, basic: boolean): Promise<{ status: number; body: string; headers: string }> {
    const config = path.join(fixture.current.stateDir, "curl.config");
    writeFileSync(config, `user = "lyncadmin:${PASSWORD}"\n`, { mode: 0o600 });
    const port = fe01().winrmPort;
    const run = await runTool(
      "curl",
      [
        "--silent",
        "--show-error",
        "--include",
        ...(basic ? ["--basic", "--config", config] : []),
        "--cacert",
        path.join(fixture.current.stateDir, "winrm", "ca.pem"),
        "--resolve",
        `fe01.contoso.com:${port}:127.0.0.1`,
        "--header",
        "Content-Type: application/soap+xml;charset=UTF-8",
        "--data-binary",
        "@-",
        `https://fe01.contoso.com:${port}/wsman`,
      ],
      envelope,
    );
    assert.equal(run.status, 0, `curl failed: ${run.stderr}`);
    const split = run.stdout.indexOf("\r\n\r\n");
    const headers = run.stdout.slice(0, split);
    return { status: Number(/^HTTP\/\S+ (\d+)/.exec(headers)?.[1]), headers, body: run.stdout.slice(split + 4) };
  }

  it("runs a command through Create, Command, Send, Receive and Delete sent by curl --basic", async function () {
    requireTool(this, "curl");
    // The test client only writes the envelopes here; curl sends them.
    const envelopes = new WinRmTestClient({ port: fe01().winrmPort, user: "", password: "", auth: "basic" });
    const post = async (action: string, selectors: Record<string, string>, body: Record<string, unknown>) => {
      const reply = await curl(envelopes.envelope(action, selectors, { WINRS_CODEPAGE: "65001" }, body), true);
      assert.equal(reply.status, 200, reply.body);
      return parser.parse(reply.body) as { Envelope: { Body: Record<string, Record<string, unknown>> } };
    };
    const created = await post(`${TRANSFER}/Create`, {}, { "rsp:Shell": { "rsp:InputStreams": "stdin" } });
    const shellId = String(created.Envelope.Body.Shell.ShellId);
    const started = await post(
      `${SHELL}/Command`,
      { ShellId: shellId },
      {
        "rsp:CommandLine": { "rsp:Command": "powershell.exe", "rsp:Arguments": [...STDIN_POWERSHELL] },
      },
    );
    const commandId = String(started.Envelope.Body.CommandResponse.CommandId);
    const stdin = Buffer.from('Write-Output "$env:COMPUTERNAME via curl"; exit 7').toString("base64");
    post(
      `${SHELL}/Send`,
      { ShellId: shellId },
      {
        "rsp:Send": { "rsp:Stream": { "@_Name": "stdin", "@_CommandId": commandId, "@_End": "true", "#text": stdin } },
      },
    );
    const receiveReply = await post(
      `${SHELL}/Receive`,
      { ShellId: shellId },
      {
        "rsp:Receive": { "rsp:DesiredStream": { "@_CommandId": commandId, "#text": "stdout stderr" } },
      },
    );
    const received = receiveReply.Envelope.Body.ReceiveResponse as {
      Stream: { "@_Name": string; "#text"?: string }[];
      CommandState: unknown;
    };
    const stdout = received.Stream.filter((s) => s["@_Name"] === "stdout" && s["#text"])
      .map((s) => Buffer.from(s["#text"]!, "base64").toString("utf8"))
      .join("");
    assert.equal(stdout, "FE01 via curl\r\n");
    assert.equal((received.CommandState as { ExitCode: unknown }).ExitCode, 7);
    await post(`${TRANSFER}/Delete`, { ShellId: shellId }, {});
  });

  it("answers curl without credentials with 401 and Windows' WWW-Authenticate lines", async function () {
    requireTool(this, "curl");
    const reply = await curl("<s:Envelope/>", false);
    assert.equal(reply.status, 401);
    const offers = reply.headers.split("\r\n").filter((line) => /^www-authenticate:/i.test(line));
    assert.deepEqual(offers, [
      "WWW-Authenticate: Negotiate",
      "WWW-Authenticate: Kerberos",
      'WWW-Authenticate: Basic realm="WSMAN"',
    ]);
  });

  it("serves the certificate whose SHA-256 fingerprint the ready line reports, issued by the CA for the FQDN", async function () {
    requireTool(this, "openssl");
    const served = await runTool(
      "openssl",
      ["s_client", "-connect", `127.0.0.1:${fe01().winrmPort}`, "-servername", "fe01.contoso.com"],
      "",
    );
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(served.stdout)?.[0];
    assert.ok(pem, served.stderr);
    const described = await runTool(
      "openssl",
      ["x509", "-noout", "-fingerprint", "-sha256", "-subject", "-ext", "subjectAltName"],
      pem,
    );
    assert.match(described.stdout, new RegExp(`Fingerprint=${fe01().winrmCertificateSha256}`, "i"));
    assert.match(described.stdout, /DNS:fe01\.contoso\.com/);
    const verified = await runTool(
      "openssl",
      [
        "verify",
        "-CAfile",
        path.join(fixture.current.stateDir, "winrm", "ca.pem"),
        "-verify_hostname",
        "fe01.contoso.com",
      ],
      pem,
    );
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  });
});

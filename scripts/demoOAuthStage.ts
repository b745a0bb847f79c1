// The demo's OAuth stage: the deployment's OAuthTokenIssuer certificate, assigned once at the
// global scope through fe01; preview names the servers Lync's replication has not reached yet,
// and is clean once their clocks pass the replication delay. Its stack is its own, removed here.

import { randomBytes } from "node:crypto";
import * as path from "node:path";
import type { EmulatorProcess } from "./support/emulatorProcess";
import { ExampleStack, type PulumiResult } from "./support/exampleStack";
import type { LyncAdmin } from "./support/lyncAdmin";
import { readSampleTopology, serverConfig } from "./support/sampleStackConfig";

/** How the demo shows and checks a stage (scripts/demo.ts). */
export interface DemoStageOutput {
  readonly step: (text: string) => void;
  readonly check: (condition: boolean, claim: string, detail?: string) => void;
  readonly show: (result: PulumiResult) => void;
}

// The emulator's replication delay is 5 minutes of each server's clock; the stage waits 10.
const PAST_THE_REPLICATION_DELAY_DAYS = 0.007;

export async function oauthStage(
  emulator: EmulatorProcess,
  admin: LyncAdmin,
  credentials: { user: string; password: string },
  work: string,
  out: DemoStageOutput,
): Promise<void> {
  const frontEnds = readSampleTopology().frontEndPool.servers.map((fqdn) => emulator.server(fqdn));
  const stack = await ExampleStack.create({
    example: "oauth-token-issuer",
    stack: `demo-oauth-${randomBytes(4).toString("hex")}`,
    backendDir: path.join(work, "backend-oauth"),
    passphrase: randomBytes(12).toString("base64url"),
    config: {
      user: credentials.user,
      password: { secret: credentials.password },
      servers: JSON.stringify(frontEnds.map((server) => serverConfig(server))),
      replicationDelay: "5m",
    },
  });
  try {
    out.step("pulumi up (examples/oauth-token-issuer)");
    out.show(await stack.up());
    const thumbprint = String((await stack.outputs()).thumbprint);
    out.check(/^[0-9A-F]{40}$/.test(thumbprint), `OAuthTokenIssuer ${thumbprint} assigned at the global scope`);
    out.step("pulumi preview --expect-no-changes");
    const pending = await stack.preview(["--expect-no-changes"]);
    out.show(pending);
    const waiting = frontEnds.slice(1).map((s) => s.fqdn);
    out.check(
      pending.code === 0 && waiting.every((fqdn) => new RegExp(`${fqdn}.*not received`).test(pending.output)),
      `preview names the Front Ends replication has not reached: ${waiting.join(", ")}`,
      pending.output,
    );
    for (const server of frontEnds) {
      out.step(`ssh ${server.fqdn} Set-EmulatorTime -AddDays ${PAST_THE_REPLICATION_DELAY_DAYS} (10 minutes)`);
      await admin.run(server, `Set-EmulatorTime -AddDays ${PAST_THE_REPLICATION_DELAY_DAYS}`);
    }
    out.step("pulumi preview --expect-no-changes");
    const clean = await stack.preview(["--expect-no-changes"]);
    out.show(clean);
    out.check(
      clean.code === 0 && !/not received/.test(clean.output),
      "preview is clean: every Front End has received the certificate",
      clean.output,
    );
  } finally {
    // destroy leaves the certificate assigned: Exchange and SharePoint depend on it.
    await stack.destroy().catch(() => undefined);
    await stack.remove().catch(() => undefined);
  }
}

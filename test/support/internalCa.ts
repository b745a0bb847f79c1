// The topology's enterprise CA as its administrator reaches it on the CA server: signs a request that was
// submitted by hand (certreq -submit), e.g. an Edge Server's offline request for its internal certificate.
// The CA's root and key are the emulator's own, read from its state directory, so what it issues chains to
// the root the emulated servers trust.

import * as fs from "node:fs";
import * as path from "node:path";
import { CertificationAuthority, type CaState } from "lync-server-emulator/dist/certificationAuthority";
import { loadTopology } from "lync-server-emulator/dist/topology";

/** The certificate the topology's first CA issues for `csrPem`, valid from `now`. */
export function issueFromInternalCa(stateDir: string, topologyFile: string, csrPem: string, now = new Date()): string {
  const topology = loadTopology(topologyFile);
  const definition = topology.certificationAuthorities[0];
  const shared = JSON.parse(fs.readFileSync(path.join(stateDir, "shared.json"), "utf8")) as { authorities: CaState[] };
  const state = shared.authorities.find((a) => a.name.toLowerCase() === definition.name.toLowerCase());
  if (!state) throw new Error(`signing with ${definition.name}: the emulator state in ${stateDir} has no such CA`);
  return new CertificationAuthority(definition, state).issue(csrPem, { now });
}

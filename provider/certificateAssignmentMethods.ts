// What CertificateAssignment's dynamic provider does, method by method. Runs in the provider
// process only: the provider object the engine serializes into every resource's inputs and state
// (certificateAssignmentProvider.ts) forwards each call here, so that text stays a few lines long
// and every call to the engine carries a few hundred bytes of it, not kilobytes.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { applyChanges } from "./applyChanges";
import { deleteAssignment } from "./deleteAssignment";
import { diffAgainstServer } from "./diffAgainstServer";
import { diffPacing } from "./diffPacing";
import { freshReadings } from "./freshReadings";
import { csrsOf, recordedHostKeys } from "./outputs";
import { log } from "./providerLoader";
import { readServer, type ServerReading } from "./readServer";
import { refreshFromServer } from "./refreshFromServer";
import { reportOnce } from "./reportOnce";
import { joinEntrySecrets } from "./secretInputs";
import { tuneProviderProcess } from "./tuneProviderProcess";
import { validateInputs } from "./validateInputs";

/* eslint-disable @typescript-eslint/no-explicit-any -- the engine's property bags, as dynamic.ResourceProvider types them */

export async function check(_olds: any, news: any): Promise<dynamic.CheckResult> {
  // check is the first call for every resource: tune the process before a fleet's work grows it.
  tuneProviderProcess();
  // Judge the entries with their secrets, but hand the engine back the inputs as they came:
  // merged entries would put the secrets into `certificates`, which the engine stores unmarked.
  const { failures } = validateInputs(joinEntrySecrets(news));
  const { inputs } = validateInputs(news);
  return { inputs, failures };
}

export async function diff(id: string, olds: any, news: any): Promise<dynamic.DiffResult> {
  try {
    // A reading taken moments ago by read (a refresh in this run) is trusted; otherwise the
    // server is read live, and reads that arrive one at a time are noticed.
    let readLive = false;
    const trusting = freshReadings.trusting(id, readServer, (read) => {
      readLive = true;
      return diffPacing.track(read);
    });
    let reading: ServerReading | undefined;
    const outcome = await diffAgainstServer(olds, news, {
      readServer: async (...args) => (reading = await trusting(...args)),
    });
    for (const reason of outcome.reasons) reportOnce(reading, reason);
    // Nothing to change, so no update follows in this process: let the server's connection and
    // powershell.exe go now rather than idle until the run ends. A refresh's session stays: the
    // update it serves runs there, and the engine diffs a refreshed resource twice.
    if (readLive && !outcome.changes) reading?.session.release();
    return { changes: outcome.changes, replaces: outcome.replaces, deleteBeforeReplace: false };
  } catch (error) {
    // An unreachable server fails the preview: without the live state the provider cannot
    // say whether anything changed, and "no changes" would be a lie.
    throw new Error(
      `checking the certificates of ${olds?.server ?? olds?.connection?.host} for changes: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export async function create(inputs: any): Promise<dynamic.CreateResult> {
  const { outputs } = await applyChanges(inputs, { log });
  return { id: `${inputs.connection.host}/${outputs.resourceKey ?? "certificates"}`, outs: outputs };
}

export function read(id: string, props: any): Promise<dynamic.ReadResult> {
  return refreshFromServer(id, props);
}

export async function update(id: string, olds: any, news: any): Promise<dynamic.UpdateResult> {
  // diff printed the reasons already in this operation; the state keeps offline requests' CSRs.
  const { outputs } = await applyChanges(news, {
    log,
    ...recordedHostKeys(olds, news.connection),
    logReasons: false,
    previousCsrs: csrsOf(olds),
    readServer: freshReadings.changing(id, readServer),
  });
  return { outs: outputs };
}

export async function remove(id: string, props: any): Promise<void> {
  freshReadings.forget(id);
  await deleteAssignment(props, { log });
}

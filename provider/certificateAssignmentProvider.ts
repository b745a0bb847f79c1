// The dynamic provider object. The engine serializes it by value (every captured variable) into
// the stack's state and runs it in its own process, so it is kept thin: each method loads the
// implementation with require() INSIDE its body (providerLoader.ts). Nothing here captures a
// socket or a credential; connections and secrets only ever come from the method's arguments.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { load, log } from "./providerLoader";

export const certificateAssignmentProvider: dynamic.ResourceProvider = {
  async check(_olds, news) {
    // check is the first call for every resource: tune the process before a fleet's work grows it.
    load<typeof import("./tuneProviderProcess")>("tuneProviderProcess").tuneProviderProcess();
    const { validateInputs } = load<typeof import("./validateInputs")>("validateInputs");
    const { joinEntrySecrets } = load<typeof import("./secretInputs")>("secretInputs");
    // Judge the entries with their secrets, but hand the engine back the inputs as they came:
    // merged entries would put the secrets into `certificates`, which the engine stores unmarked.
    const { failures } = validateInputs(joinEntrySecrets(news));
    const { inputs } = validateInputs(news);
    return { inputs, failures };
  },

  async diff(id, olds, news) {
    const { diffAgainstServer } = load<typeof import("./diffAgainstServer")>("diffAgainstServer");
    const { freshReadings } = load<typeof import("./freshReadings")>("freshReadings");
    const { diffPacing } = load<typeof import("./diffPacing")>("diffPacing");
    const { readServer } = load<typeof import("./readServer")>("readServer");
    const { reportOnce } = load<typeof import("./reportOnce")>("reportOnce");
    try {
      // A reading taken moments ago by read (a refresh in this run) is trusted; otherwise the
      // server is read live, and reads that arrive one at a time are noticed.
      const trusting = freshReadings.trusting(id, readServer, (read) => diffPacing.track(read));
      let reading: object | undefined;
      const outcome = await diffAgainstServer(olds, news, {
        readServer: async (...args) => (reading = await trusting(...args)),
      });
      for (const reason of outcome.reasons) reportOnce(reading, reason);
      return { changes: outcome.changes, replaces: outcome.replaces, deleteBeforeReplace: false };
    } catch (error) {
      // An unreachable server fails the preview: without the live state the provider cannot
      // say whether anything changed, and "no changes" would be a lie.
      throw new Error(
        `checking the certificates of ${olds?.server ?? olds?.connection?.host} for changes: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  },

  async create(inputs) {
    const { applyChanges } = load<typeof import("./applyChanges")>("applyChanges");
    const { outputs } = await applyChanges(inputs, { log });
    return { id: `${inputs.connection.host}/${outputs.resourceKey ?? "certificates"}`, outs: outputs };
  },

  async read(id, props) {
    // No wiring here: read runs the provider code serialized in the state, which may be older than
    // this; refreshFromServer keeps the reading for the diffs by itself.
    const { refreshFromServer } = load<typeof import("./refreshFromServer")>("refreshFromServer");
    return refreshFromServer(id, props);
  },

  async update(id, olds, news) {
    const { applyChanges } = load<typeof import("./applyChanges")>("applyChanges");
    const { freshReadings } = load<typeof import("./freshReadings")>("freshReadings");
    const { readServer } = load<typeof import("./readServer")>("readServer");
    const { csrsOf, recordedHostKeys } = load<typeof import("./outputs")>("outputs");
    // diff printed the reasons already in this operation; the state keeps offline requests' CSRs.
    const { outputs } = await applyChanges(news, {
      log,
      ...recordedHostKeys(olds, news.connection),
      logReasons: false,
      previousCsrs: csrsOf(olds),
      readServer: freshReadings.changing(id, readServer),
    });
    return { outs: outputs };
  },

  async delete(id, props) {
    const { deleteAssignment } = load<typeof import("./deleteAssignment")>("deleteAssignment");
    load<typeof import("./freshReadings")>("freshReadings").freshReadings.forget(id);
    await deleteAssignment(props, { log });
  },
};

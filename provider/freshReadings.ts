// Readings of servers taken in this provider process, so that diff can trust one taken moments ago
// instead of opening another remote session.
//
// Why this is safe: the engine starts one provider process per deployment. With a refresh
// (`pulumi preview --refresh`, or `options: refresh: always` in Pulumi.yaml) it first calls read
// for every resource, in parallel, then, still in this process, calls Diff twice per resource: once
// in the refresh step itself (v3.248.0 diffs every refreshed resource) and once when it compares the
// program with the state. Without a reading kept here each of those Diffs would read the server
// again, and the second one runs one resource at a time unless PULUMI_PARALLEL_DIFF is set.
// A reading is trusted only in this process, only for FRESH_FOR_MS, only for the same resource,
// connection and module, only if it covered every certificate the diff needs, and only if
// the server presented the host key the diff expects. update uses it too (the refresh's reading is
// what its diff judged, and its session process runs the update's scripts: two sessions per `up`),
// and forgets every reading of the server it changes; create and delete forget the resource's.

import type { ServerReading } from "./readServer";
import type { DesiredState } from "./desiredCertificates";
import type { ConnectionInputs } from "./providerInputs";
import { sameKey, type TransportOptions } from "./sshTransport";
import { tuneProviderProcess } from "./tuneProviderProcess";

/** How long a reading counts as fresh: long enough for a fleet's refresh and diffs, short of a new run. */
export const FRESH_FOR_MS = 5 * 60_000;

type ReadDesired = Pick<DesiredState, "managementModule" | "resourceKey" | "certificates" | "resourceName">;
type ReadOptions = TransportOptions & { readonly thumbprints?: readonly string[] };

/** readServer's signature: what diffAgainstServer and refreshFromServer call to read a server. */
export type ServerReader = (
  connection: ConnectionInputs,
  desired: ReadDesired,
  options: ReadOptions,
) => Promise<ServerReading>;

interface Kept {
  readonly reading: ServerReading;
  readonly at: number;
  readonly thumbprints: ReadonlySet<string>;
}

export class FreshReadings {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly freshForMs = FRESH_FOR_MS,
  ) {}

  /** A reader that always reads the server (read, i.e. refresh, must) and keeps what it read. */
  recording(id: string, live: ServerReader): ServerReader {
    // Readers are made by the provider's methods, old serialized ones included: a fleet's reads follow.
    tuneProviderProcess();
    return async (connection, desired, options) => {
      const reading = await live(connection, desired, options);
      this.keep(id, connection, desired, options, reading);
      return reading;
    };
  }

  /**
   * A reader that returns a fresh kept reading when it covers the request, else reads the server.
   * A live read is not kept: only read (a refresh) vouches that a diff follows it in this run.
   */
  trusting(
    id: string,
    live: ServerReader,
    onLiveRead: (read: () => Promise<ServerReading>) => Promise<ServerReading> = (read) => read(),
  ): ServerReader {
    tuneProviderProcess();
    return async (connection, desired, options) =>
      this.find(id, connection, desired, options) ?? onLiveRead(() => live(connection, desired, options));
  }

  /**
   * A reader for update: the refresh's reading when it covers the request (as diff trusts it; the
   * update then needs no session of its own to read), else a live read. Either way every reading of
   * that server is forgotten first: the update is about to change it.
   */
  changing(id: string, live: ServerReader): ServerReader {
    return async (connection, desired, options) => {
      const kept = this.find(id, connection, desired, options);
      this.forgetServer(connection);
      return kept ?? live(connection, desired, options);
    };
  }

  /** Forgets the readings of a resource whose server is about to change. */
  forget(id: string): void {
    for (const key of this.kept.keys()) if (key.startsWith(`${id}\n`)) this.kept.delete(key);
  }

  /** Forgets every reading of one server, whichever resource took it. */
  forgetServer(connection: ConnectionInputs): void {
    const endpoint = endpointOf(connection);
    for (const key of this.kept.keys()) if (key.split("\n")[1] === endpoint) this.kept.delete(key);
  }

  /** How many readings are kept (tests). */
  get size(): number {
    return this.kept.size;
  }

  private find(
    id: string,
    connection: ConnectionInputs,
    desired: ReadDesired,
    options: ReadOptions,
  ): ServerReading | undefined {
    const key = keyOf(id, connection, desired);
    const kept = this.kept.get(key);
    if (!kept) return undefined;
    if (this.now() - kept.at > this.freshForMs) {
      this.kept.delete(key);
      return undefined;
    }
    const expectedKey = connection.hostKey ?? options.recordedHostKey;
    if (expectedKey && !sameKey(expectedKey, kept.reading.session.hostKey)) return undefined;
    // A thumbprint the reading did not ask for is known only if the store held it anyway.
    const inStore = new Set(kept.reading.state.store.map((e) => e.thumbprint.toUpperCase()));
    const thumbprintsCovered = (options.thumbprints ?? []).every(
      (t) => kept.thumbprints.has(t.toUpperCase()) || inStore.has(t.toUpperCase()),
    );
    return thumbprintsCovered ? kept.reading : undefined;
  }

  private keep(
    id: string,
    connection: ConnectionInputs,
    desired: ReadDesired,
    options: ReadOptions,
    reading: ServerReading,
  ): void {
    this.kept.set(keyOf(id, connection, desired), {
      reading,
      at: this.now(),
      thumbprints: new Set((options.thumbprints ?? []).map((t) => t.toUpperCase())),
    });
  }
}

/** The one registry of this provider process (the module cache makes it process-wide). */
export const freshReadings = new FreshReadings();

function keyOf(id: string, connection: ConnectionInputs, desired: ReadDesired): string {
  return `${id}\n${endpointOf(connection)}\n${desired.managementModule}\n${desired.resourceKey}`;
}

/** Where a connection lands, without its credentials: another endpoint is another server. */
function endpointOf(connection: ConnectionInputs): string {
  const via = connection.proxy ? ` via ${endpointOf(connection.proxy)}` : "";
  return `${connection.user ?? "root"}@${connection.host.toLowerCase()}:${connection.port ?? 22}${via}`;
}

// The dynamic provider object of CertificateAssignment. The engine serializes it by value (every
// captured variable) into each resource's inputs and state, sends that text with every call, and
// runs it in its own process. So it is thin: each method forwards to certificateAssignmentMethods,
// loaded with require() in the provider process (providerLoader.ts). Nothing here captures a
// socket or a credential; connections and secrets only ever come from the method's arguments.
// States written by older versions call the implementation modules by name: keep their exports.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { load } from "./providerLoader";

type Methods = typeof import("./certificateAssignmentMethods");

export const certificateAssignmentProvider: dynamic.ResourceProvider = {
  check: (olds, news) => load<Methods>("certificateAssignmentMethods").check(olds, news),
  diff: (id, olds, news) => load<Methods>("certificateAssignmentMethods").diff(id, olds, news),
  create: (inputs) => load<Methods>("certificateAssignmentMethods").create(inputs),
  read: (id, props) => load<Methods>("certificateAssignmentMethods").read(id, props),
  update: (id, olds, news) => load<Methods>("certificateAssignmentMethods").update(id, olds, news),
  delete: (id, props) => load<Methods>("certificateAssignmentMethods").remove(id, props),
};

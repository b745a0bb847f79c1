// The dynamic provider of OAuthTokenIssuer: as thin as certificateAssignmentProvider, for the same
// reason (the engine serializes it by value; see providerLoader.ts).

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { load, log } from "./providerLoader";

type Implementation = typeof import("./applyOAuthTokenIssuer");

export const oauthTokenIssuerProvider: dynamic.ResourceProvider = {
  async check(_olds, news) {
    const { validateOAuthInputs } = load<typeof import("./oauthInputs")>("oauthInputs");
    const { inputs, failures } = validateOAuthInputs(news);
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const { diffOAuthTokenIssuer } = load<Implementation>("applyOAuthTokenIssuer");
    const { reportOnce } = load<typeof import("./reportOnce")>("reportOnce");
    const { changes, plan } = await diffOAuthTokenIssuer(olds, news);
    // With a refresh the engine diffs twice in one process: say each line once.
    for (const line of [...plan.reasons, ...plan.notes]) reportOnce(process, line);
    return { changes, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs) {
    const { applyOAuthTokenIssuer } = load<Implementation>("applyOAuthTokenIssuer");
    const outs = await applyOAuthTokenIssuer(inputs, { log });
    return { id: `oauth/${outs.resourceKey ?? "global"}`, outs };
  },

  async read(id, props) {
    const { refreshOAuthTokenIssuer, inputsOf } = load<Implementation>("applyOAuthTokenIssuer");
    const outs = await refreshOAuthTokenIssuer(props);
    return { id, props: outs, inputs: inputsOf(outs) };
  },

  async update(_id, olds, news) {
    const { applyOAuthTokenIssuer } = load<Implementation>("applyOAuthTokenIssuer");
    return { outs: await applyOAuthTokenIssuer(news, { log, hostKeys: olds.hostKeys }) };
  },

  async delete(_id, props) {
    // Exchange and SharePoint trust this certificate: unassigning it breaks server-to-server authentication.
    log(
      `OAuthTokenIssuer: ${props.thumbprint ?? "the certificate"} stays assigned at the global scope; nothing was changed`,
    );
  },
};

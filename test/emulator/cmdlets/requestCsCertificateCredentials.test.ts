// Request-CsCertificate and the double hop: a key login has no network credentials for the CA, a password
// login has; -CaAccount/-CaPassword log on afresh, and then that account, not the login, must be an enroller.

import assert from "node:assert/strict";
import { requestCsCertificate } from "lync-server-emulator/dist/cmdlets/requestCsCertificate";
import type { LyncServer } from "lync-server-emulator/dist/lyncServer";
import type { PSObject } from "lync-server-emulator/dist/powershell/values";
import { invoke, invokeError, newTestServer, type TestServer } from "./cmdletHarness";

const REQUEST = { New: true, Type: ["Default"], CA: "dc\\myca" } as const;

describe("Request-CsCertificate credentials (the double hop)", () => {
  let server: TestServer;
  let keyLogin: LyncServer;
  const authority = () => server.state.authority("dc\\myca")!.state;
  const databaseSize = () => Object.keys(authority().requests).length;

  beforeEach(() => {
    server = newTestServer();
    server.state.setAccounts([
      { name: "lyncadmin", password: "Pa55w.rd" },
      { name: "CONTOSO\\helpdesk", password: "Help.me1" },
      { name: "keyonly" },
    ]);
    keyLogin = server.host.withUser("lyncadmin", "publickey");
  });
  afterEach(() => server.dispose());

  it("refuses an online request from a key login with the CA's access denied, and records nothing at the CA", async () => {
    const stored = keyLogin.listCertificates().length;
    const error = await invokeError(requestCsCertificate, keyLogin, { ...REQUEST });
    assert.match(error.message, /Access is denied\. 0x80070005 \(WIN32: 5 ERROR_ACCESS_DENIED\)/);
    assert.match(error.message, /-CaAccount and -CaPassword/);
    assert.equal(error.category, "PermissionDenied");
    assert.equal(keyLogin.listCertificates().length, stored);
    assert.equal(databaseSize(), 0, "refused at the DCOM layer, before the CA database");
    assert.deepEqual(keyLogin.listPendingRequests(), []);
  });

  it("issues to a password login without -CaAccount", async () => {
    const passwordLogin = server.host.withUser("lyncadmin", "password");
    const { output } = await invoke(requestCsCertificate, passwordLogin, { ...REQUEST });
    assert.ok(passwordLogin.getCertificate(String((output[0] as PSObject).get("Thumbprint")))?.privateKeyPem);
  });

  it("issues to a key login that gives -CaAccount and the right -CaPassword, matching CONTOSO\\lyncadmin to lyncadmin", async () => {
    const { output } = await invoke(requestCsCertificate, keyLogin, {
      ...REQUEST,
      CaAccount: "CONTOSO\\lyncadmin",
      CaPassword: "Pa55w.rd",
    });
    const thumbprint = String((output[0] as PSObject).get("Thumbprint"));
    assert.ok(keyLogin.getCertificate(thumbprint)?.privateKeyPem);
    const [record] = Object.values(authority().requests);
    assert.equal(record.account, "CONTOSO\\lyncadmin");
    assert.equal(record.status, "Issued");
  });

  it("fails a wrong -CaPassword with the logon failure, never echoing it, before the CA is contacted", async () => {
    const error = await invokeError(requestCsCertificate, keyLogin, {
      ...REQUEST,
      CaAccount: "lyncadmin",
      CaPassword: "Wr0ng.pw",
    });
    assert.match(
      error.message,
      /The user name or password is incorrect\. 0x8007052e \(WIN32: 1326 ERROR_LOGON_FAILURE\) \(logging on as lyncadmin/,
    );
    assert.doesNotMatch(error.message, /Wr0ng/);
    assert.equal(error.category, "AuthenticationError");
    assert.equal(authority().requestCount, 0);
  });

  it("fails a logon as an account that is unknown or has no password", async () => {
    for (const account of ["CONTOSO\\nobody", "keyonly", "OTHER\\lyncadmin"]) {
      const error = await invokeError(requestCsCertificate, keyLogin, {
        ...REQUEST,
        CaAccount: account,
        CaPassword: "Pa55w.rd",
      });
      assert.match(error.message, /0x8007052e/, account);
    }
  });

  it("refuses -CaAccount without -CaPassword and -CaPassword without -CaAccount", async () => {
    const noPassword = await invokeError(requestCsCertificate, server.host, { ...REQUEST, CaAccount: "lyncadmin" });
    assert.match(noPassword.message, /-CaAccount lyncadmin was given without -CaPassword/);
    assert.equal(noPassword.category, "InvalidArgument");
    const noAccount = await invokeError(requestCsCertificate, server.host, { ...REQUEST, CaPassword: "Pa55w.rd" });
    assert.match(noAccount.message, /-CaPassword was given without -CaAccount/);
    assert.doesNotMatch(noAccount.message, /Pa55w/);
    assert.equal(authority().requestCount, 0);
  });

  it("checks enroll rights of -CaAccount, not of the login", async () => {
    // lyncadmin may enroll; helpdesk, with the right password, may not.
    const error = await invokeError(requestCsCertificate, server.host, {
      ...REQUEST,
      CaAccount: "helpdesk",
      CaPassword: "Help.me1",
    });
    assert.match(error.message, /do not allow the current user to enroll.*0x80094012.*from CONTOSO\\helpdesk/);
    const [record] = Object.values(authority().requests);
    assert.equal(record.status, "Denied");
  });

  it("writes an offline request from a key login: -Output never contacts the CA", async () => {
    const { output } = await invoke(requestCsCertificate, keyLogin, {
      New: true,
      Type: ["Default"],
      Output: "C:\\Windows\\Temp\\default.req",
    });
    assert.deepEqual(output, []);
    assert.equal(keyLogin.listPendingRequests().length, 1);
  });

  it("cannot retrieve a pending request from a key login; a password login can", async () => {
    server.host.emulator.setCaBehavior({ kind: "pending" });
    const { warnings } = await invoke(requestCsCertificate, keyLogin, {
      ...REQUEST,
      CaAccount: "lyncadmin",
      CaPassword: "Pa55w.rd",
    });
    const requestId = Number(/request (\d+)/.exec(warnings[0])?.[1]);
    server.host.emulator.setCaBehavior({ kind: "issue" });
    const retrieve = (host: LyncServer) =>
      invoke(requestCsCertificate, host, { Retrieve: true, RequestId: requestId }, { parameterSetName: "ByRetrieve" });

    await assert.rejects(retrieve(keyLogin), /0x80070005.*log on with a password to retrieve it/s);
    assert.equal(keyLogin.listPendingRequests().length, 1, "the request still waits");
    const { output } = await retrieve(server.host.withUser("lyncadmin", "password"));
    assert.ok(keyLogin.getCertificate(String((output[0] as PSObject).get("Thumbprint"))));
  });
});

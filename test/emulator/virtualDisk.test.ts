import assert from "node:assert/strict";
import fc from "fast-check";
import { redactParameters } from "lync-server-emulator/dist/auditParameters";
import { PSDateTime, PSEnum, PSObject, PSSecureString } from "lync-server-emulator/dist/powershell/values";
import {
  normalizeWindowsPath,
  resolveWindowsPath,
  VirtualDisk,
  type DiskContents,
} from "lync-server-emulator/dist/virtualDisk";

describe("virtual disk", () => {
  it("normalizes Windows paths: separators, dots, drive letter case", () => {
    const table: [string, string][] = [
      ["c:/certs//pool01.pfx", "C:\\certs\\pool01.pfx"],
      ["C:\\certs\\.\\sub\\..\\req.csr", "C:\\certs\\req.csr"],
      ["C:", "C:\\"],
      ["d:\\", "D:\\"],
    ];
    for (const [input, expected] of table) assert.equal(normalizeWindowsPath(input), expected, input);
  });

  it("resolves relative and drive-relative paths against the working directory", () => {
    assert.equal(resolveWindowsPath("req.csr", "C:\\Users\\lyncadmin"), "C:\\Users\\lyncadmin\\req.csr");
    assert.equal(resolveWindowsPath("..\\x.pfx", "C:\\Users\\lyncadmin"), "C:\\Users\\x.pfx");
    assert.equal(resolveWindowsPath("\\certs\\a.pfx", "C:\\Users\\lyncadmin"), "C:\\certs\\a.pfx");
    assert.equal(resolveWindowsPath("E:\\a", "C:\\Users\\lyncadmin"), "E:\\a");
  });

  it("reads back what it wrote under any spelling of the path, and sees folders that hold files", () => {
    const contents: DiskContents = {};
    const fs = new VirtualDisk(contents).view("C:\\Users\\lyncadmin");
    fs.write("C:\\Certs\\Pool01.pfx", new Uint8Array([1, 2, 3]));
    assert.deepEqual(fs.read("c:/certs/POOL01.PFX"), new Uint8Array([1, 2, 3]));
    assert.equal(fs.exists("C:\\certs"), true);
    assert.equal(fs.exists("C:\\"), true);
    assert.equal(fs.exists("C:\\other"), false);
    fs.write("notes.txt", new Uint8Array([9]));
    assert.deepEqual(
      Object.values(contents)
        .map((e) => e.path)
        .sort(),
      ["C:\\Certs\\Pool01.pfx", "C:\\Users\\lyncadmin\\notes.txt"],
    );
    assert.equal(fs.remove("C:\\CERTS\\pool01.pfx"), true);
    assert.equal(fs.remove("C:\\CERTS\\pool01.pfx"), false);
    assert.equal(fs.read("C:\\Certs\\Pool01.pfx"), undefined);
  });

  it("is idempotent: normalizing a normalized path changes nothing", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9 ._-]{1,8}$/);
    fc.assert(
      fc.property(
        fc.constantFrom("C:", "c:", "D:"),
        fc.array(fc.oneof(segment, fc.constant(".."), fc.constant(".")), { maxLength: 6 }),
        (drive, parts) => {
          const once = normalizeWindowsPath(`${drive}\\${parts.join("/")}`);
          assert.equal(normalizeWindowsPath(once), once);
          assert.match(once, /^[A-Z]:\\/);
        },
      ),
    );
  });
});

describe("audit parameters", () => {
  it("redacts every parameter whose name holds password, secret or credential, whatever the value", () => {
    const secretName = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z]{0,6}$/),
        fc.constantFrom("Password", "password", "PASSWORD", "Secret", "Credential"),
        fc.stringMatching(/^[A-Za-z]{0,6}$/),
      )
      .map(([a, b, c]) => a + b + c);
    fc.assert(
      fc.property(secretName, fc.oneof(fc.string(), fc.integer(), fc.array(fc.string())), (name, value) => {
        assert.equal(redactParameters({ [name]: value })[name], "***");
      }),
    );
  });

  it("replaces secrets by name and by kind, and keeps everything else readable", () => {
    const redacted = redactParameters({
      Password: "p",
      CaPassword: "p",
      PfxPassword: "p",
      Credential: "p",
      PrivateKeyExportable: true,
      Type: [new PSEnum("Microsoft.Rtc.Management.Deployment.CertType", "Default", 0)],
      EffectiveDate: new PSDateTime(new Date("2026-01-01T00:00:00Z"), "Utc"),
      Secure: new PSSecureString("p"),
      Data: new Uint8Array(12),
      Pem: "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----",
      Reference: new PSObject(undefined, { Thumbprint: "AB", RawData: new Uint8Array(4), Password: "p" }),
    });
    assert.deepEqual(redacted, {
      Password: "***",
      CaPassword: "***",
      PfxPassword: "***",
      Credential: "***",
      PrivateKeyExportable: true,
      Type: ["Default"],
      EffectiveDate: "2026-01-01T00:00:00.000Z",
      Secure: "***",
      Data: "<12 bytes>",
      Pem: "***",
      Reference: { Thumbprint: "AB", Password: "***" },
    });
  });
});

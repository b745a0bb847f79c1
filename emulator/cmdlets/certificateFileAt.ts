import type { LyncHost } from "../lyncHost";
import { cmdletError } from "./cmdletError";
import { passwordText } from "./passwordText";
import { readCertificateFile, WrongPfxPasswordError, type CertificateFile } from "./readCertificateFile";

/**
 * The certificate file a -Path names on the server's disk, read for a cmdlet: a missing file and an unreadable
 * one fail with Windows' texts ("The specified network password is not correct." for a wrong PFX password).
 * The password never appears in a message.
 */
export function certificateFileAt(cmdlet: string, host: LyncHost, path: unknown, password: unknown): CertificateFile {
  const file = String(path);
  const bytes = host.fileSystem.read(file);
  if (bytes === undefined) {
    throw cmdletError(cmdlet, `Could not find file '${file}' on ${host.fqdn}.`, "FileNotFound", "ObjectNotFound", {
      targetObject: file,
    });
  }
  try {
    return readCertificateFile(bytes, passwordText(password));
  } catch (error) {
    const text = error instanceof WrongPfxPasswordError ? error.message : "Cannot find the requested object.";
    throw cmdletError(
      cmdlet,
      `${text} (reading '${file}' on ${host.fqdn})`,
      "CertificateFileUnreadable",
      "InvalidData",
      {
        cause: error,
      },
    );
  }
}

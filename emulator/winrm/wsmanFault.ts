// The SOAP faults the WinRM service answers with (HTTP 500), each with the WS-Management subcode, the
// Windows error code clients key their retries on (WSManFault Code) and the message Windows writes.
// Codes are winerror.h's ERROR_WSMAN_* values; where the subcode or text is not confirmed the
// function says [guess] (emulator/README.md lists them).

import { buildResponse, NS, type WsmanRequest } from "./wsmanEnvelope";

const FAULT_ACTION = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault";
const ADDRESSING_FAULT_ACTION = `${NS.addressing}/fault`;

export class WsmanFault extends Error {
  constructor(
    readonly role: "s:Sender" | "s:Receiver",
    /** e.g. "w:TimedOut" */
    readonly subcode: string,
    /** WSManFault Code: a Windows error number (decimal), e.g. 2150858793. */
    readonly code: number,
    message: string,
    /** A w:FaultDetail URI, when the fault has one. */
    readonly detail?: string,
    readonly action: string = FAULT_ACTION,
  ) {
    super(message);
    this.name = "WsmanFault";
  }

  /** The fault envelope, answering `request` (when it could be read). */
  toEnvelope(request: Pick<WsmanRequest, "messageId"> | undefined, machine: string): string {
    return buildResponse(request ?? { messageId: "" }, this.action, {
      "s:Fault": {
        "s:Code": { "s:Value": this.role, "s:Subcode": { "s:Value": this.subcode } },
        "s:Reason": { "s:Text": { "@_xml:lang": "en-US", "#text": this.message } },
        "s:Detail": {
          ...(this.detail ? { "w:FaultDetail": this.detail } : {}),
          "f:WSManFault": {
            "@_xmlns:f": NS.wsmanFault,
            "@_Code": String(this.code),
            "@_Machine": machine,
            "f:Message": this.message,
          },
        },
      },
    });
  }
}

/** ERROR_WSMAN_OPERATION_TIMEDOUT: a Receive found nothing within OperationTimeout; the client retries it. */
export function operationTimedOut(): WsmanFault {
  return new WsmanFault(
    "s:Receiver",
    "w:TimedOut",
    2150858793,
    "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.",
  );
}

/** A ShellId the service does not know (never created, deleted, or another user's). [guess: the subcode] */
export function shellNotFound(shellId: string): WsmanFault {
  return new WsmanFault(
    "s:Sender",
    "w:InvalidSelectors",
    2150858843,
    `The request for the Windows Remote Shell with ShellId ${shellId} failed because the shell was not found on the server. ` +
      "Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. " +
      "Provide the correct ShellId or create a new shell and retry the operation.",
  );
}

/** A CommandId the shell does not know. [guess: code and text] */
export function commandNotFound(commandId: string): WsmanFault {
  return new WsmanFault(
    "s:Sender",
    "w:InvalidParameter",
    2150858810,
    `The request for the Windows Remote Shell command with CommandId ${commandId} failed because the command was not found in the shell.`,
  );
}

/** A request larger than the service's MaxEnvelopeSizekb. [guess: the code; the subcode and detail are DSP0226's] */
export function envelopeTooLarge(maxEnvelopeSizeKb: number): WsmanFault {
  return new WsmanFault(
    "s:Sender",
    "w:EncodingLimit",
    2150858825,
    `The WS-Management service cannot process the request because the request size exceeded the configured MaxEnvelopeSize quota (MaxEnvelopeSizekb = ${maxEnvelopeSizeKb}).`,
    "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/ServiceEnvelopeLimit",
  );
}

/** An authenticated account that may not use WinRM (not in Administrators nor Remote Management Users). */
export function accessDenied(): WsmanFault {
  return new WsmanFault("s:Sender", "w:AccessDenied", 5, "Access is denied.");
}

/** An OperationTimeout the service cannot read. */
export function invalidTimeout(value: string): WsmanFault {
  return new WsmanFault(
    "s:Sender",
    "w:InvalidTimeout",
    2150858764,
    `The WS-Management service cannot process the request because the timeout specified is not valid: ${value}.`,
  );
}

/** An Action the shell resource does not implement. */
export function actionNotSupported(action: string): WsmanFault {
  return new WsmanFault(
    "s:Sender",
    "a:ActionNotSupported",
    2150858771,
    `The action is not supported by the service: ${action}.`,
    undefined,
    ADDRESSING_FAULT_ACTION,
  );
}

/** A resource URI other than the cmd shell's. */
export function resourceNotFound(resourceUri: string): WsmanFault {
  return new WsmanFault(
    "s:Sender",
    "w:DestinationUnreachable",
    2150858752,
    `The WS-Management service cannot process the request. The resource URI (${resourceUri || "none"}) was not found in the WS-Management catalog.`,
  );
}

/** A body that is not a SOAP envelope, or lacks what the action needs. */
export function invalidRequest(what: string): WsmanFault {
  return new WsmanFault(
    "s:Sender",
    "w:SchemaValidationError",
    2150858817,
    `The WS-Management service cannot process the request because the XML is invalid: ${what}.`,
  );
}

/** CreateProcess refused the command line (WINRS_SKIP_CMD_SHELL with a line over 32,767 characters). [guess] */
export function processCreationFailed(message: string): WsmanFault {
  return new WsmanFault("s:Receiver", "w:InternalError", 206, message);
}

/** Unencrypted SOAP over the HTTP listener while AllowUnencrypted is false. [guess: the body; Windows answers 500] */
export function unencryptedRefused(): WsmanFault {
  return new WsmanFault(
    "s:Sender",
    "w:AccessDenied",
    2150858770,
    "The WinRM service refuses unencrypted traffic on this listener (AllowUnencrypted = false): use the HTTPS listener, or encrypt the message.",
  );
}

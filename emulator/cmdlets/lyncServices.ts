import type { Pool } from "../lyncHost";

/**
 * The Windows services Get-CsWindowsService lists for a server role (Lync Server 2013 / SfB 2015), in the
 * order Stop-CsWindowsService stops them. W3SVC (IIS) is among them since Lync 2013: -LeaveWebServerRunning
 * exists to spare it; RTCCLSAGT is the centralized logging agent that -LeaveClsAgentRunning spares.
 */
export function lyncServices(role: Pool["role"]): readonly string[] {
  switch (role) {
    case "Edge":
      return ["RTCCLSAGT", "RTCREPLICA", "RTCSRV", "RTCMEDIARELAY", "RTCDATAPROXY", "RTCMRAUTH"];
    case "Director":
      return ["RTCCLSAGT", "RTCREPLICA", "RTCSRV", "W3SVC"];
    default:
      return [
        "RTCCLSAGT",
        "RTCREPLICA",
        "RTCSRV",
        "RTCASMCU",
        "RTCATS",
        "RTCAVMCU",
        "RTCCAA",
        "RTCCAS",
        "RTCCPS",
        "RTCDATAMCU",
        "RTCHOST",
        "RTCIMMCU",
        "RTCMEDSRV",
        "RTCRGS",
        "W3SVC",
      ];
  }
}

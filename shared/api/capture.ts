// The capture part of the API contract (issue 14): tcpdump on a design element's host,
// saved as a .pcap on the user's machine and streamed live as decoded packet rows.
// Kept beside contract.ts (which imports it) so the contract stays one place to look.
import type { PacketRow } from '../pcap/decode';

export type { PacketRow } from '../pcap/decode';

export interface CaptureRequest {
  /** The open design: the host is reached as it would be for a run (a sandbox is the design's own). */
  designText: string;
  /** A veth end `ID.a` / `ID.b`, a bridge, macvlan, VLAN or VXLAN id, or a host NIC `HOST:NIC`. */
  element: string;
  /** A tcpdump (pcap-filter) expression; everything when empty or absent. */
  filter?: string;
  /**
   * Where to save (a .pcap path the file rules allow: in the workspace for `wireplan serve`).
   * Absent: a new file named after the element and the time, in the workspace (headless)
   * or the user's wireplan-captures folder (desktop).
   */
  path?: string;
}

export type CaptureStart =
  | {
      ok: true;
      captureId: string;
      /** What is captured, in words: "veth ns1-br0 end a (v-ns1 in ns1 on lab)". */
      title: string;
      /** The .pcap being written (it appears under this name when the capture ends). */
      path: string;
      /** Whether "Open in Wireshark" can work on this machine (wireshark is on PATH). */
      wireshark: boolean;
    }
  | { ok: false; error: string };

export type CaptureEvent =
  | { captureId: string; kind: 'packets'; rows: PacketRow[] }
  /** The last event of a capture: stopped, or ended by itself (`error`: why). */
  /** `droppedByKernel`: packets tcpdump reported lost because it could not keep up (absent: none). */
  | { captureId: string; kind: 'end'; path: string; packets: number; bytes: number; error?: string; droppedByKernel?: number };

export type OpenInWiresharkResult = { ok: true } | { ok: false; error: string };

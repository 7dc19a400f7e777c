// An incremental reader of the classic pcap format (what `tcpdump -w -` writes): bytes
// arrive in arbitrary chunks from a live stream, and whole records come out as soon as
// they are complete. Both byte orders and both time resolutions (usec and nsec magic)
// are read, because the writer's byte order is the capturing host's, not ours.
// Pure: Uint8Array and DataView only, so the renderer, the CLI and tests share it.

/** A packet record: capture time, the bytes captured and the length on the wire. */
export interface PcapRecord {
  /** Seconds since the epoch, with the file's resolution (usec or nsec) as a fraction. */
  time: number;
  /** Length of the packet on the wire (may exceed data.length when the snap length cut it). */
  origLen: number;
  data: Uint8Array;
}

export interface PcapHeader {
  littleEndian: boolean;
  /** 1e6 for the usec magic, 1e9 for the nsec magic. */
  ticksPerSecond: number;
  versionMajor: number;
  versionMinor: number;
  snapLen: number;
  /** The link-layer type (1 = Ethernet, 113 = Linux cooked v1, 276 = Linux cooked v2). */
  linkType: number;
}

export class PcapFormatError extends Error {}

const MAGIC_USEC = 0xa1b2c3d4;
const MAGIC_NSEC = 0xa1b23c4d;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
/** A record larger than this is corruption, not a packet (tcpdump's own limit is 256 KiB). */
const MAX_RECORD = 16 * 1024 * 1024;

export function parseGlobalHeader(bytes: Uint8Array): PcapHeader {
  if (bytes.length < GLOBAL_HEADER) throw new PcapFormatError(`a pcap file starts with a ${GLOBAL_HEADER}-byte header; got ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, GLOBAL_HEADER);
  let littleEndian: boolean;
  let magic = view.getUint32(0, true);
  if (magic === MAGIC_USEC || magic === MAGIC_NSEC) littleEndian = true;
  else {
    magic = view.getUint32(0, false);
    if (magic !== MAGIC_USEC && magic !== MAGIC_NSEC) {
      const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
      const hint = hex === '0a0d0d0a' ? ' (this is pcapng; capture with tcpdump -w, which writes pcap)' : '';
      throw new PcapFormatError(`not a pcap stream: magic ${hex}${hint}`);
    }
    littleEndian = false;
  }
  return {
    littleEndian,
    ticksPerSecond: magic === MAGIC_NSEC ? 1e9 : 1e6,
    versionMajor: view.getUint16(4, littleEndian),
    versionMinor: view.getUint16(6, littleEndian),
    snapLen: view.getUint32(16, littleEndian),
    // The upper bits may carry an FCS length (the pcap spec); the link type is the low 16.
    linkType: view.getUint32(20, littleEndian) & 0xffff,
  };
}

/** Feed chunks with push(); each call returns the records completed by that chunk. */
export class PcapStreamReader {
  header?: PcapHeader;
  private pending: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): PcapRecord[] {
    this.pending = this.pending.length ? concat(this.pending, chunk) : chunk;
    const out: PcapRecord[] = [];
    let at = 0;
    if (!this.header) {
      if (this.pending.length < GLOBAL_HEADER) return out;
      this.header = parseGlobalHeader(this.pending);
      at = GLOBAL_HEADER;
    }
    const { littleEndian, ticksPerSecond } = this.header;
    while (this.pending.length - at >= RECORD_HEADER) {
      const view = new DataView(this.pending.buffer, this.pending.byteOffset + at, RECORD_HEADER);
      const sec = view.getUint32(0, littleEndian);
      const frac = view.getUint32(4, littleEndian);
      const inclLen = view.getUint32(8, littleEndian);
      const origLen = view.getUint32(12, littleEndian);
      if (inclLen > MAX_RECORD) throw new PcapFormatError(`corrupt pcap record: ${inclLen} captured bytes`);
      if (this.pending.length - at - RECORD_HEADER < inclLen) break;
      const start = at + RECORD_HEADER;
      // A copy, so a record does not pin the whole chunk it arrived in.
      out.push({ time: sec + frac / ticksPerSecond, origLen, data: this.pending.slice(start, start + inclLen) });
      at = start + inclLen;
    }
    this.pending = this.pending.subarray(at);
    return out;
  }

  /** Bytes of an incomplete record still waiting for more input (non-zero at the end = truncated file). */
  get leftover(): number {
    return this.pending.length;
  }
}

/** Reads a whole pcap file. A truncated last record (a capture cut short) is ignored. */
export function readPcap(bytes: Uint8Array): { header: PcapHeader; records: PcapRecord[] } {
  const reader = new PcapStreamReader();
  const records = reader.push(bytes);
  if (!reader.header) throw new PcapFormatError(`a pcap file starts with a ${GLOBAL_HEADER}-byte header; got ${bytes.length} bytes`);
  return { header: reader.header, records };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

// The pcap reader and decoder on hand-made frames: what tcpdump's own files (tests/kernel/
// capture.test.ts) do not cover on this machine — chunk boundaries anywhere, bad input with
// a clear error, short frames, and layers a veth ping never carries (VLAN tags, ARP
// replies, IPv6 with ICMPv6 and UDP, Linux cooked v1, TCP flags).
import { describe, expect, it } from 'vitest';
import { checkBpfFilter } from './bpf';
import { decodeRecord, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL } from './decode';
import { PcapFormatError, PcapStreamReader, readPcap } from './reader';
import { packetLine, rowMatches } from './format';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));

function pcap(linkType: number, frames: Uint8Array[], { bigEndian = false, nano = false } = {}): Uint8Array {
  const le = !bigEndian;
  const out = new Uint8Array(24 + frames.reduce((n, f) => n + 16 + f.length, 0));
  const v = new DataView(out.buffer);
  v.setUint32(0, nano ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, 262144, le);
  v.setUint32(20, linkType, le);
  let at = 24;
  frames.forEach((f, i) => {
    v.setUint32(at, 1_700_000_000 + i, le);
    v.setUint32(at + 4, nano ? 500_000_000 : 500_000, le);
    v.setUint32(at + 8, f.length, le);
    v.setUint32(at + 12, f.length, le);
    out.set(f, at + 16);
    at += 16 + f.length;
  });
  return out;
}

const MAC_A = '02 00 00 00 00 0a';
const MAC_B = '02 00 00 00 00 0b';
/** ICMP echo request 10.9.0.1 -> 10.9.0.2, id 7 seq 1 (checksums are not checked). */
const IPV4_ICMP = '45 00 00 1c 00 01 40 00 40 01 00 00 0a 09 00 01 0a 09 00 02  08 00 00 00 00 07 00 01';
const ETH_ICMP = hex(`${MAC_B} ${MAC_A} 08 00 ${IPV4_ICMP}`);

describe('pcap stream reader', () => {
  it('gives the same records whatever the chunk boundaries, in both byte orders and both resolutions', () => {
    for (const opts of [{}, { bigEndian: true }, { nano: true }, { bigEndian: true, nano: true }]) {
      const file = pcap(LINKTYPE_ETHERNET, [ETH_ICMP, ETH_ICMP], opts);
      const whole = readPcap(file);
      expect(whole.header).toMatchObject({ littleEndian: !opts.bigEndian, ticksPerSecond: opts.nano ? 1e9 : 1e6, linkType: 1, snapLen: 262144 });
      expect(whole.records.map((r) => r.time)).toEqual([1_700_000_000.5, 1_700_000_001.5]);
      const reader = new PcapStreamReader();
      const bytewise = [...file].flatMap((b) => reader.push(Uint8Array.of(b)));
      expect(bytewise).toEqual(whole.records);
      expect(reader.leftover).toBe(0);
    }
  });

  it('refuses what is not pcap, saying what it is', () => {
    expect(() => readPcap(hex('0a 0d 0d 0a 00 00 00 1c 4d 3c 2b 1a 01 00 00 00 ff ff ff ff ff ff ff ff 00 00 00 00'))).toThrow(/pcapng; capture with tcpdump -w/);
    expect(() => readPcap(hex('7f 45 4c 46'.padEnd(72, ' 0')))).toThrow(PcapFormatError);
    expect(() => readPcap(new Uint8Array(10))).toThrow(/24-byte header; got 10 bytes/);
    const corrupt = pcap(LINKTYPE_ETHERNET, [ETH_ICMP]);
    new DataView(corrupt.buffer).setUint32(24 + 8, 0x7fffffff, true);
    expect(() => readPcap(corrupt)).toThrow(/corrupt pcap record/);
  });

  it('keeps an incomplete last record waiting (a capture cut short is not an error)', () => {
    const file = pcap(LINKTYPE_ETHERNET, [ETH_ICMP, ETH_ICMP]);
    const reader = new PcapStreamReader();
    expect(reader.push(file.subarray(0, file.length - 5))).toHaveLength(1);
    expect(reader.leftover).toBe(16 + ETH_ICMP.length - 5);
  });
});

describe('frame decoder', () => {
  const row = (frame: Uint8Array, link = LINKTYPE_ETHERNET) => decodeRecord(1, { time: 1, origLen: frame.length, data: frame }, link);

  it('ICMP over Ethernet, and the same inside a VLAN tag', () => {
    expect(row(ETH_ICMP)).toMatchObject({ src: '10.9.0.1', dst: '10.9.0.2', protocol: 'ICMP', summary: 'Echo request id=7 seq=1', length: 42 });
    const tagged = hex(`${MAC_B} ${MAC_A} 81 00 00 64 08 00 ${IPV4_ICMP}`);
    expect(row(tagged)).toMatchObject({ protocol: 'ICMP', summary: 'VLAN 100: Echo request id=7 seq=1' });
  });

  it('ARP request and reply', () => {
    const arp = (op: string, tha: string) => hex(`ff ff ff ff ff ff ${MAC_A} 08 06 00 01 08 00 06 04 ${op} ${MAC_A} 0a 09 00 01 ${tha} 0a 09 00 02`);
    expect(row(arp('00 01', '00 00 00 00 00 00'))).toMatchObject({ src: '02:00:00:00:00:0a', dst: 'ff:ff:ff:ff:ff:ff', protocol: 'ARP', summary: 'Who has 10.9.0.2? Tell 10.9.0.1' });
    expect(row(arp('00 02', MAC_B))).toMatchObject({ protocol: 'ARP', summary: '10.9.0.1 is at 02:00:00:00:00:0a' });
  });

  it('IPv6: ICMPv6 echo and neighbor solicitation, UDP after a hop-by-hop header; addresses in RFC 5952 form', () => {
    const v6 = (next: string, payload: string) => {
      const len = payload.replace(/\s+/g, '').length / 2;
      return hex(`${MAC_B} ${MAC_A} 86 dd 60 00 00 00 ${len.toString(16).padStart(4, '0')} ${next} 40 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02 ${payload}`);
    };
    expect(row(v6('3a', '80 00 00 00 00 09 00 03'))).toMatchObject({ src: 'fd00::1', dst: 'fd00::2', protocol: 'ICMPv6', summary: 'Echo request id=9 seq=3' });
    expect(row(v6('3a', '87 00 00 00 00 00 00 00 fe 80 00 00 00 00 00 00 00 00 00 ff fe 00 00 0b'))).toMatchObject({ summary: 'Neighbor solicitation for fe80::ff:fe00:b' });
    expect(row(v6('00', '11 00 00 00 00 00 00 00  00 35 c3 50 00 0c 00 00 61 62 63 64'))).toMatchObject({ protocol: 'UDP', summary: '53 → 50000 Len=4' });
  });

  it('TCP flags in Wireshark order, and the payload length from the IP header (not the Ethernet padding)', () => {
    const tcp = hex(`${MAC_B} ${MAC_A} 08 00 45 00 00 28 00 01 40 00 40 06 00 00 0a 09 00 01 0a 09 00 02  c3 50 13 89 00 00 00 64 00 00 00 00 50 12 fa f0 00 00 00 00  00 00 00 00 00 00`);
    expect(row(tcp)).toMatchObject({ protocol: 'TCP', summary: '50000 → 5001 [SYN, ACK] Seq=100 Ack=0 Win=64240 Len=0' });
  });

  it('Linux cooked capture (v1), an unknown link type, a cut-off frame', () => {
    const sll = hex(`00 00 00 01 00 06 ${MAC_A} 00 00 08 00 ${IPV4_ICMP}`);
    expect(row(sll, LINKTYPE_LINUX_SLL)).toMatchObject({ src: '10.9.0.1', protocol: 'ICMP' });
    expect(row(ETH_ICMP, 147)).toMatchObject({ protocol: 'link 147', summary: 'link-layer type 147 is not decoded' });
    expect(decodeRecord(3, { time: 1, origLen: 98, data: ETH_ICMP.subarray(0, 20) }, 1)).toMatchObject({ no: 3, protocol: '?', summary: 'frame truncated (20 of 98 bytes captured)' });
  });

  it('rows read as a line and match a display filter by every word', () => {
    const r = { ...row(ETH_ICMP), no: 12, time: 101.25 };
    expect(packetLine(r, 100)).toBe('   12     1.250000  10.9.0.1 → 10.9.0.2  ICMP  42  Echo request id=7 seq=1');
    expect(rowMatches(r, 'icmp 10.9.0.2')).toBe(true);
    expect(rowMatches(r, 'icmp reply')).toBe(false);
    expect(rowMatches(r, '  ')).toBe(true);
  });
});

describe('capture filter check', () => {
  it('passes pcap-filter expressions through, trimmed', () => {
    for (const f of ['icmp', 'tcp port 80 and not host 10.0.0.1', 'ip6 and icmp6', "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", 'vlan 100 && udp', 'ether host 02:00:00:00:00:0a', 'net 10.0.0.0/8']) {
      expect(checkBpfFilter(` ${f} `)).toEqual({ ok: true, filter: f.trim() });
    }
    expect(checkBpfFilter('')).toEqual({ ok: true, filter: '' });
  });

  it('refuses shell syntax, control characters, option-looking and huge input, naming the problem', () => {
    expect(checkBpfFilter('icmp; reboot')).toEqual({ ok: false, error: 'capture filter contains ";", which is not part of tcpdump\'s filter language (pcap-filter)' });
    expect(checkBpfFilter('icmp $(id)')).toMatchObject({ ok: false, error: expect.stringContaining('"$"') });
    expect(checkBpfFilter('icmp`id`')).toMatchObject({ ok: false, error: expect.stringContaining('"`"') });
    expect(checkBpfFilter('icmp\nor tcp')).toMatchObject({ ok: false, error: expect.stringContaining('a line break') });
    expect(checkBpfFilter('icmp\u0007')).toMatchObject({ ok: false, error: expect.stringContaining('control character U+0007') });
    expect(checkBpfFilter('-w /etc/passwd')).toMatchObject({ ok: false, error: expect.stringContaining('must not start with "-"') });
    expect(checkBpfFilter('a'.repeat(1025))).toMatchObject({ ok: false, error: 'capture filter is 1025 characters long; at most 1024 are allowed' });
  });
});

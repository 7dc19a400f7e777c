// The capture tabs against a scripted backend: rows that beat startCapture's answer are
// kept for their tab, the list keeps only the newest MAX_ROWS (counting the rest), the end
// event settles the tab, Restart stops and starts anew with the new filter, and a refusal
// shows as a failed tab with the backend's words.
import { describe, expect, it, vi } from 'vitest';
import type { CaptureEvent, PacketRow, WireplanApi } from '../../../shared/api/contract';

const calls: { method: string; args: unknown[] }[] = [];
let emit: (e: CaptureEvent) => void = () => undefined;
let answer: (method: string, args: unknown[]) => unknown;

vi.mock('../api', () => {
  const api = new Proxy({} as WireplanApi, {
    get: (_t, method: string) => {
      if (method === 'onCaptureEvent') {
        return (listener: (e: CaptureEvent) => void) => {
          emit = listener;
          return () => undefined;
        };
      }
      return async (...args: unknown[]) => {
        calls.push({ method, args });
        return answer(method, args);
      };
    },
  });
  return { api, isBrowserOnly: false };
});

const { useCaptures, MAX_ROWS } = await import('./captureStore');

const row = (no: number): PacketRow => ({ no, time: no, src: '10.0.0.2', dst: '10.0.0.3', protocol: 'ICMP', length: 98, summary: `Echo request seq=${no}` });

describe('capture tabs', () => {
  it('rows before the answer, the row cap, the end, Restart with a new filter', async () => {
    let n = 0;
    answer = (method) => {
      if (method !== 'startCapture') return undefined;
      const captureId = `cap-${String(++n).padStart(24, '0')}`;
      // The first rows arrive before the page knows the id.
      emit({ captureId, kind: 'packets', rows: [row(1), row(2)] });
      return { ok: true, captureId, title: 'veth app1 uplink end a (eth0 in app1 on lab)', path: `/ws/cap${n}.pcap`, wireshark: false };
    };
    await useCaptures.getState().start('link-app1.a', 'app1 uplink (app1 end)');
    let tab = useCaptures.getState().tabs[0]!;
    expect(tab).toMatchObject({ state: 'running', title: 'veth app1 uplink end a (eth0 in app1 on lab)', path: '/ws/cap1.pcap' });
    expect(tab.rows.map((r) => r.no)).toEqual([1, 2]);
    expect(calls[0]).toMatchObject({ method: 'startCapture', args: [expect.objectContaining({ element: 'link-app1.a', filter: '' })] });

    emit({ captureId: tab.captureId!, kind: 'packets', rows: Array.from({ length: MAX_ROWS }, (_, i) => row(i + 3)) });
    tab = useCaptures.getState().tabs[0]!;
    expect(tab.rows).toHaveLength(MAX_ROWS);
    expect(tab.dropped).toBe(2);
    expect(tab.rows[0]!.no).toBe(3);

    emit({ captureId: tab.captureId!, kind: 'end', path: '/ws/cap1.pcap', packets: MAX_ROWS + 2, bytes: 1, droppedByKernel: 5 });
    expect(useCaptures.getState().tabs[0]).toMatchObject({ state: 'ended', packets: MAX_ROWS + 2, droppedByKernel: 5 });

    await useCaptures.getState().restart(tab.key, 'icmp');
    tab = useCaptures.getState().tabs[0]!;
    expect(tab).toMatchObject({ state: 'running', filter: 'icmp', captureId: `cap-${'2'.padStart(24, '0')}`, dropped: 0 });
    expect(tab.rows.map((r) => r.no)).toEqual([1, 2]);
    expect(calls.at(-1)).toMatchObject({ method: 'startCapture', args: [expect.objectContaining({ filter: 'icmp' })] });

    // Closing a running capture stops it on the host.
    useCaptures.getState().close(tab.key);
    expect(calls.at(-1)).toEqual({ method: 'stopCapture', args: [tab.captureId] });
    expect(useCaptures.getState().tabs).toEqual([]);
  });

  it("a refused capture is a failed tab with the backend's words", async () => {
    answer = (method) => (method === 'startCapture' ? { ok: false, error: 'capture filter contains ";", which is not part of tcpdump\'s filter language (pcap-filter)' } : undefined);
    await useCaptures.getState().start('br0', 'bridge br0', 'icmp; reboot');
    expect(useCaptures.getState().tabs.at(-1)).toMatchObject({ state: 'failed', message: expect.stringContaining('capture filter contains ";"') });
  });
});

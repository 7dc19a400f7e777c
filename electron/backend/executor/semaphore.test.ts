import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('grants up to the limit, then queues in order', async () => {
    const s = new Semaphore(2);
    const r1 = await s.acquire();
    const r2 = await s.acquire();
    const order: number[] = [];
    const p3 = s.acquire().then((r) => (order.push(3), r));
    const p4 = s.acquire().then((r) => (order.push(4), r));
    expect(s.inUse).toBe(2);
    r1();
    r1(); // a second release of the same grant is ignored
    const r3 = await p3;
    expect(order).toEqual([3]);
    expect(s.inUse).toBe(2);
    r2();
    const r4 = await p4;
    expect(order).toEqual([3, 4]);
    r3();
    r4();
    expect(s.inUse).toBe(0);
  });

  it('drops a queued waiter whose signal aborts', async () => {
    const s = new Semaphore(1);
    const release = await s.acquire();
    const ctl = new AbortController();
    const waiting = s.acquire(ctl.signal);
    ctl.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    release();
    expect(s.inUse).toBe(0);
    await expect(s.acquire(ctl.signal)).rejects.toThrow('gave up');
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

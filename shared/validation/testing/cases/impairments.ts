import { bad, good, warn, type Case } from '../case';
import { el } from '../designs';

export const impairmentCases: Case[] = [
  bad('impair-range', 'negative delay', (d) => { el(d, 'veths', 'app1').impair = { delayMs: -5 }; }, { elementId: 'app1', field: 'impair.delayMs' }),
  bad('impair-range', 'loss over 100%', (d) => { el(d, 'veths', 'app1').a.impair = { lossPct: 120 }; }, { elementId: 'app1', field: 'a.impair.lossPct' }),
  bad('impair-range', 'a rate of 1 kbit/s', (d) => { el(d, 'veths', 'app1').impair = { rateKbit: 1 }; }, { elementId: 'app1', field: 'impair.rateKbit' }),
  bad('impair-range', 'a rate of 1 Pbit/s', (d) => { el(d, 'veths', 'app1').b.impair = { rateKbit: 1e12 }; }, { elementId: 'app1', field: 'b.impair.rateKbit' }),
  bad('impair-range', 'a delay of a day', (d) => { el(d, 'veths', 'app1').impair = { delayMs: 86_400_000 }; }, { elementId: 'app1', field: 'impair.delayMs' }),
  good('impair-range', 'rate, delay, jitter, loss, duplicate, corrupt, reorder in range', (d) => {
    el(d, 'veths', 'app1').impair = { rateKbit: 1000, delayMs: 50, jitterMs: 10, lossPct: 1, duplicatePct: 0.5, corruptPct: 0.1, reorderPct: 25 };
  }),
  good('impair-range', 'loss of exactly 100% (a blackhole is a valid test)', (d) => { el(d, 'veths', 'app1').impair = { lossPct: 100 }; }),

  bad('impair-needs-delay', 'jitter without delay', (d) => { el(d, 'veths', 'app1').impair = { jitterMs: 10 }; }, { elementId: 'app1', field: 'impair.jitterMs' }),
  bad('impair-needs-delay', 'reorder without delay', (d) => { el(d, 'veths', 'app1').a.impair = { reorderPct: 10, lossPct: 1 }; }, { elementId: 'app1', field: 'a.impair.reorderPct' }),
  bad('impair-needs-delay', 'jitter larger than the delay', (d) => { el(d, 'veths', 'app1').impair = { delayMs: 5, jitterMs: 20 }; }, warn('app1', 'impair.jitterMs')),
  good('impair-needs-delay', 'jitter and reorder on a delay', (d) => { el(d, 'veths', 'app1').impair = { delayMs: 50, jitterMs: 10, reorderPct: 25 }; }),

  bad('impair-both', 'link and end both impaired', (d) => {
    const v = el(d, 'veths', 'app1');
    v.impair = { delayMs: 10 };
    v.b.impair = { lossPct: 1 };
  }, { elementId: 'app1', field: 'b.impair' }),
  good('impair-both', 'an emptied link impairment beside an end\'s', (d) => {
    const v = el(d, 'veths', 'app1');
    v.impair = {};
    v.a.impair = { delayMs: 5 };
  }),
  good('impair-both', 'each end its own direction', (d) => {
    const v = el(d, 'veths', 'app1');
    v.a.impair = { rateKbit: 1000 };
    v.b.impair = { delayMs: 20 };
  }),
];

// Runs ELK in a Web Worker (elkjs's own worker script), so a big layout never blocks the UI.
import ELK from 'elkjs/lib/elk-api.js';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { Design } from '../../../shared/model/schema';
import { elkGraph, layoutFromElk } from './elkGraph';

let elk: InstanceType<typeof ELK> | undefined;

function instance(): InstanceType<typeof ELK> {
  elk ??= new ELK({ workerFactory: () => new Worker(workerUrl) });
  return elk;
}

/** The design with an automatic layout; resolves with the same design when there is nothing to lay out. */
export async function autoLayout(design: Design): Promise<Design> {
  if (design.hosts.length === 0) return design;
  const result = await instance().layout(elkGraph(design));
  return { ...design, layout: layoutFromElk(design, result) };
}

// Shared by commands that take a design FILE: load it or explain why not.
import type { Design } from '../../../shared/model/schema';
import { describeLoadFailure, loadDesignFile } from '../../backend/designFile';
import type { CliIo } from '../io';

export async function loadOrReport(file: string | undefined, io: CliIo): Promise<Design | undefined> {
  if (!file) {
    io.err('missing FILE (a NAME.wireplan.json design)');
    return undefined;
  }
  const result = await loadDesignFile(file);
  if (!result.ok) {
    io.err(describeLoadFailure(file, result));
    return undefined;
  }
  return result.design;
}

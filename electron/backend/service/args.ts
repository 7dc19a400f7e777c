// Argument schemas for every method of the API contract. Both doors into the backend (the
// Electron IPC handlers and the headless WebSocket bridge) validate with these before the
// service sees anything: the renderer is treated as untrusted input.
import { isIP } from 'node:net';
import { z } from 'zod';
import { CONFIRM_WITHIN_S, SHELL_SIZE, type ApiMethod } from '../../../shared/api/contract';
import { ELEMENT_ID, HOSTNAME, SSH_USER } from '../../../shared/model/identifiers';
import { MAX_DESIGN_BYTES } from '../designFile';
import { INVENTORY_NAME } from '../inventory/inventory';

/** Larger than any real design: the same cap as reading a design file. */
export const MAX_TEXT = MAX_DESIGN_BYTES;
/** Exports: scripts and diagrams (a PNG of a big canvas included). */
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

const noNul = (s: string) => !s.includes('\0');

export const PathArg = z.string().min(1).max(4096).refine(noNul, 'must not contain NUL');
const DesignText = z.string().max(MAX_TEXT, 'design text larger than 64 MiB');
const IsoTime = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 time');

/** A bare file name: no folders, nothing special. */
export const FileName = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => noNul(s) && !/[/\\]/.test(s) && s !== '.' && s !== '..', 'expected a file name without folders');

export const HostId = z.string().regex(ELEMENT_ID, 'expected a host id');
export const RunId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'expected a run id');
export const ExampleId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected an example id');

const Address = z
  .string()
  .min(1)
  .max(253)
  .refine((s) => isIP(s) !== 0 || HOSTNAME.test(s), 'expected an IP address or a host name');

export const SshTargetArg = z.strictObject({
  address: Address,
  port: z.number().int().min(1).max(65535),
  user: z.string().regex(SSH_USER, 'expected a user name like "root", "Deploy" or "CORP\\jdoe"'),
  keyPath: PathArg.optional(),
  alias: Address.optional(),
  jump: z.string().min(1).max(1024).optional(),
  server: z.string().regex(INVENTORY_NAME, 'expected an inventory server name').optional(),
});

export const Fingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'expected an OpenSSH SHA256 fingerprint');

export const ConnectionTestOptionsArg = z.strictObject({
  trustFingerprint: Fingerprint.optional(),
  secret: z.string().min(1).max(4096).optional(),
  rememberSecret: z.boolean().optional(),
  sudoPassword: z.string().min(1).max(4096).optional(),
  rememberSudoPassword: z.boolean().optional(),
});

export const FileVersionArg = z.strictObject({
  mtimeMs: z.number().finite().min(0),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex'),
});

export const SaveConditionArg = z.union([z.strictObject({ ifVersion: FileVersionArg.nullable() }), z.strictObject({ overwrite: z.literal(true) })]);

export const AutosaveEntryArg = z.strictObject({
  text: DesignText,
  path: PathArg.optional(),
  savedAt: IsoTime,
  version: FileVersionArg.optional(),
});

export const ExportFileRequestArg = z.strictObject({
  suggestedName: FileName,
  data: z.union([z.string().max(MAX_EXPORT_BYTES), z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_EXPORT_BYTES, 'export larger than 64 MiB')]),
  mimeType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]{1,100}$/, 'expected a MIME type'),
  overwrite: z.boolean().optional(),
  path: PathArg.optional(),
});

export const ImportHostRequestArg = z.strictObject({
  designText: DesignText,
  hostId: HostId,
});

const HostIds = z.array(HostId).max(256);

export const ApplyRequestArg = z
  .strictObject({
    designText: DesignText,
    hostIds: HostIds.optional(),
    planHashes: z.record(HostId, z.string().regex(/^[0-9a-f]{16,128}$/, 'expected a plan hash')),
    keepPartial: z.boolean().optional(),
    persist: z.boolean().optional(),
    allowManagementChange: z.boolean().optional(),
    confirmWithinS: z
      .number()
      .int(`expected whole seconds from ${CONFIRM_WITHIN_S.min} to ${CONFIRM_WITHIN_S.max}`)
      .min(CONFIRM_WITHIN_S.min, `expected whole seconds from ${CONFIRM_WITHIN_S.min} to ${CONFIRM_WITHIN_S.max}`)
      .max(CONFIRM_WITHIN_S.max, `expected whole seconds from ${CONFIRM_WITHIN_S.min} to ${CONFIRM_WITHIN_S.max}`)
      .optional(),
  })
  // A management-path change without a window could cut the host off for good.
  .refine((r) => !r.allowManagementChange || r.confirmWithinS !== undefined, {
    message: 'allowManagementChange needs confirmWithinS (the host reverts by itself unless a fresh connection confirms)',
    path: ['allowManagementChange'],
  });

export const DestroyRequestArg = z.strictObject({
  designText: DesignText,
  hostIds: HostIds.optional(),
});

const Cols = z.number().int('expected whole terminal columns').min(SHELL_SIZE.cols.min, `expected ${SHELL_SIZE.cols.min} to ${SHELL_SIZE.cols.max} terminal columns`).max(SHELL_SIZE.cols.max, `expected ${SHELL_SIZE.cols.min} to ${SHELL_SIZE.cols.max} terminal columns`);
const Rows = z.number().int('expected whole terminal rows').min(SHELL_SIZE.rows.min, `expected ${SHELL_SIZE.rows.min} to ${SHELL_SIZE.rows.max} terminal rows`).max(SHELL_SIZE.rows.max, `expected ${SHELL_SIZE.rows.min} to ${SHELL_SIZE.rows.max} terminal rows`);

export const ShellRequestArg = z.strictObject({
  designText: DesignText,
  elementId: z.string().regex(ELEMENT_ID, 'expected a namespace or host id'),
  cols: Cols,
  rows: Rows,
});

export const ShellId = z.string().regex(/^sh-[0-9a-f]{24}$/, 'expected a shell id');
/** One keystroke batch or paste (a paste larger than this is refused, not cut). */
export const MAX_SHELL_INPUT = 1024 * 1024;
const ShellInput = z.string().max(MAX_SHELL_INPUT, 'input larger than 1 MiB in one piece');

export const SudoRequestArg = z.strictObject({
  designText: DesignText,
  hostId: HostId,
  // sudo -S reads one line: a newline or NUL would cut it short or smuggle more input.
  password: z.string().min(1, 'expected a sudo password').max(1024).regex(/^[^\n\r\0]*$/, 'a sudo password cannot contain a line break or NUL').optional(),
  remember: z.boolean().optional(),
});

export const CaptureRequestArg = z.strictObject({
  designText: DesignText,
  // An element id, a veth end (ID.a / ID.b) or HOST:NIC; resolved against the design later.
  element: z.string().min(1, 'expected an element to capture on').max(80).regex(/^[A-Za-z0-9_.:-]+$/, 'expected an element id, ID.a / ID.b, or HOST:NIC'),
  // The filter's own rules (checkBpfFilter) give the specific message; this only bounds the size.
  filter: z.string().max(4096).optional(),
  path: PathArg.optional(),
});

export const CaptureId = z.string().regex(/^cap-[0-9a-f]{24}$/, 'expected a capture id');

export const CheckRequestArg = z.strictObject({
  designText: DesignText,
  hostIds: HostIds.optional(),
  maxProbes: z.number().int().min(1).max(5000).optional(),
});

export const LinkStateRequestArg = z.strictObject({
  designText: DesignText,
  linkId: z.string().regex(ELEMENT_ID, 'expected a link id'),
  state: z.enum(['up', 'down']),
});

/** Positional arguments per method, exactly as the contract declares them. */
export const ARGS = {
  openDesign: z.tuple([PathArg.optional()]),
  saveDesign: z.tuple([PathArg.optional(), DesignText, FileName.optional(), SaveConditionArg.optional()]),
  recentFiles: z.tuple([]),
  readAutosave: z.tuple([]),
  writeAutosave: z.tuple([AutosaveEntryArg]),
  clearAutosave: z.tuple([]),
  exportFile: z.tuple([ExportFileRequestArg]),
  listExamples: z.tuple([]),
  listServers: z.tuple([]),
  forgetServerKey: z.tuple([z.string().regex(INVENTORY_NAME, 'expected an inventory server name')]),
  readExample: z.tuple([ExampleId]),
  testConnection: z.tuple([SshTargetArg, ConnectionTestOptionsArg.optional()]),
  hostStatus: z.tuple([HostIds.optional()]),
  watchLive: z.tuple([DesignText.optional(), HostIds.optional()]),
  checkConnectivity: z.tuple([CheckRequestArg]),
  apply: z.tuple([ApplyRequestArg]),
  listFolders: z.tuple([]),
  destroy: z.tuple([DestroyRequestArg]),
  prepareSudo: z.tuple([SudoRequestArg]),
  cancelRun: z.tuple([RunId]),
  setLinkState: z.tuple([LinkStateRequestArg]),
  importHost: z.tuple([ImportHostRequestArg]),
  openShell: z.tuple([ShellRequestArg]),
  shellInput: z.tuple([ShellId, ShellInput]),
  resizeShell: z.tuple([ShellId, Cols, Rows]),
  closeShell: z.tuple([ShellId]),
  startCapture: z.tuple([CaptureRequestArg]),
  stopCapture: z.tuple([CaptureId]),
  openInWireshark: z.tuple([CaptureId]),
} satisfies Record<ApiMethod, z.ZodTuple>;

export class InvalidArguments extends Error {
  override readonly name = 'InvalidArguments';
}

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `argument ${issue.path.map(String).join('.')}` : 'arguments';
  return `${where}: ${issue.message}`;
}

/** The validated arguments, or InvalidArguments naming the first few problems. */
export function parseArgs<M extends ApiMethod>(method: M, params: readonly unknown[]): z.output<(typeof ARGS)[M]> {
  // Trailing undefined arguments are the same as omitted ones.
  let n = params.length;
  while (n > 0 && params[n - 1] === undefined) n--;
  const result = ARGS[method].safeParse(params.slice(0, n));
  if (!result.success) throw new InvalidArguments(`${method}: ${result.error.issues.slice(0, 5).map(describe).join('; ')}`);
  return result.data as z.output<(typeof ARGS)[M]>;
}

// Live-state observation: pure parsers for ip/bridge/nft/iptables/sysctl output, the
// observed-state model, and probe evaluation. See ip-batch.ts for what iproute2 prints.
export * from './types';
export { ok, fail, type ParseResult } from './result';
export { parseJson, splitJsonValues, escapeRawControls } from './json';
export { parseIpLink, linkFromJson } from './ip-link';
export { parseIpAddr, type IpAddrOutput } from './ip-addr';
export { parseIpRoute, canonicalRouteDst } from './ip-route';
export { parseIpNetns } from './ip-netns';
export {
  parseIpBatch,
  batchPart,
  RECOMMENDED_BATCH_COMMANDS,
  BASIC_BATCH_COMMANDS,
  type BatchPart,
  type IpBatchOptions,
  type IpBatchOutput,
} from './ip-batch';
export { parseBridgeLink, parseBridgeVlan } from './bridge';
export { parseNftJson, parseNftText, withTableComments } from './nft';
export { parseIptablesSave, tokenizeIptablesArgs } from './iptables';
export { parseSysctl, normalizeSysctlKey, normalizeSysctlValue, parseIptablesVersion, parseNftVersion, parseBootId } from './sysctl';
export {
  observeNamespace,
  observeHost,
  emptyNamespace,
  findNamespace,
  findLink,
  namespaceOwner,
  namespaceByNsid,
  resolveLinkPeer,
  type RawHostOutput,
  type RawNamespaceOutput,
  type RawQdiscOutput,
} from './host';
export { evaluateProbe, type ProbeResult, type ProbeState } from './probe';
export { parseQdiscShow, parseQdiscRecord, normalizeQdiscText, judgeQdisc } from './tc-qdisc';
export { benchObserveParse, synthesizeHostOutput, synthesizeNamespaceBatch, synthesizeRootBatch, type ObserveBenchResult } from './bench';

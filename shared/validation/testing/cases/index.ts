// Every rule case table, for the catalog coverage test.
import type { Case } from '../case';
import { addressCases } from './addresses';
import { identityCases } from './identity';
import { impairmentCases } from './impairments';
import { nameCases } from './names';
import { natPolicyCases } from './nat-policy';
import { nicCases } from './nics';
import { rangeCases } from './ranges';
import { programCases } from './programs';
import { referenceCases } from './references';
import { routingCases } from './routing';
import { stitchCases } from './stitch';
import { vxlanMtuCases } from './vxlan-mtu';

export const CASE_TABLES: Record<string, Case[]> = {
  identity: identityCases,
  names: nameCases,
  addresses: addressCases,
  routing: routingCases,
  'nat-policy': natPolicyCases,
  nics: nicCases,
  'vxlan-mtu': vxlanMtuCases,
  stitch: stitchCases,
  ranges: rangeCases,
  references: referenceCases,
  programs: programCases,
  impairments: impairmentCases,
};

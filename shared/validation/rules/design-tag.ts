// The tag names the design's nft table and ownership marks on hosts, so it must be short
// and plain.
import { DESIGN_TAG } from '../../model/identifiers';
import { deriveTag } from '../../model/migrate';
import { error, type Rule } from '../rule';

export const designTag: Rule = ({ design }) =>
  typeof design.tag === 'string' && DESIGN_TAG.test(design.tag)
    ? []
    : [
        error(
          'design-tag',
          undefined,
          'tag',
          `design tag "${String(design.tag)}" is not valid: it must start with a lower-case letter and contain only a-z and 0-9, at most 12 characters`,
          `use a tag such as "${deriveTag(String(design.name ?? 'lab'))}"`,
        ),
      ];

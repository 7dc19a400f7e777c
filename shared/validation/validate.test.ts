import { describe, expect, it } from 'vitest';
import { base } from './testing/designs';
import { validate } from './validate';

describe('validate', () => {
  it('finds nothing wrong with the base lab', () => {
    expect(validate(base())).toEqual([]);
  });
});

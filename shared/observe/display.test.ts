import { describe, expect, it } from 'vitest';
import { shellQuoteMessage, shownName, visible } from './display';

describe('terminal display of host data', () => {
  it('shell-quotes names so a pasted name stays inert', () => {
    expect(shownName('eth0')).toBe('eth0');
    expect(shownName('a$(id)')).toBe("'a$(id)'");
    expect(shownName("it's")).toBe("'it'\\''s'");
  });

  it('makes control, bidi and separator characters visible', () => {
    expect(visible('a\nb\u001b[31m\u202e')).toBe('a\\u000ab\\u001b[31m\\u202e');
    expect(shownName('x\ny')).toBe("'x\\u000ay'");
  });

  it('re-quotes the JSON-quoted values of a message shell-style', () => {
    expect(shellQuoteMessage('interface "c$(id)" (bridge) in netns "app1" is not Wireplan\'s')).toBe("interface 'c$(id)' (bridge) in netns app1 is not Wireplan's");
    expect(shellQuoteMessage('alias "<img src=x onerror=alert(1)>\\n\\u001b[31m"')).toBe("alias '<img src=x onerror=alert(1)>\\u000a\\u001b[31m'");
  });
});

// Zod's object parser compiles a fast path with `new Function`, and probes for it as soon
// as the first object schema is built. The renderer's CSP has no 'unsafe-eval', so the
// probe is refused and reported as a violation: jitless skips the probe and the compiled
// path (same results). main.tsx imports this first, before any module that builds a schema.
import { z } from 'zod';

z.config({ jitless: true });

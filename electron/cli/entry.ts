// The bundled CLI's entry point (scripts/build-cli.ts): the same main() that bin/wireplan.mjs
// runs from a checkout through tsx. `--version` answers before anything else loads (the
// bundle is split, so main's chunk, zod and ssh2 are never read for it).
import { WIREPLAN_VERSION } from '../../shared/version';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${WIREPLAN_VERSION}\n`);
} else {
  const { main } = await import('./main');
  process.exitCode = await main(argv);
}

// "Survive a reboot" in the apply dialog, on a real SSH server through `wireplan serve`:
// offered for an SSH host, it installs the exported script and wireplan-TAG.service on the
// server and enables the unit (the result says so; the files and the wants link are
// there, and the host frame shows the live 'persistent' badge); Destroy removes them. The lab gets private tmpfs copies of /etc/systemd/system
// and /usr/local/lib, so nothing of this machine's own systemd configuration is touched.
import { expect, test } from '@playwright/test';
import { showTab } from './helpers';
import { useLabAndServe } from './lab-serve';
import { applyFromPlan, openServed } from './live-flow';
import { pointAtLab } from './ssh-host';

const env = useLabAndServe('wp-e2e-persist');
const UNIT = '/etc/systemd/system/wireplan-twons.service';
const WANTS = '/etc/systemd/system/multi-user.target.wants/wireplan-twons.service';
const SCRIPT = '/usr/local/lib/wireplan/wireplan-twons.sh';
const present = (path: string) => env.exec(`if [ -e ${path} ] || [ -L ${path} ]; then echo yes; else echo no; fi`).then((s) => s.trim());

test('apply with "survive a reboot" installs and enables the boot unit; destroy removes it', async ({ page }) => {
  test.setTimeout(240_000);
  await env.exec('mount -t tmpfs -o mode=0755 tmpfs /etc/systemd/system && mount -t tmpfs -o mode=0755 tmpfs /usr/local/lib');
  await openServed(page, env.serve());
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-two-namespaces-nat').click();
  await expect(page.getByTestId('title')).toContainText('Two namespaces');
  await pointAtLab(page, 'lab', env.lab());

  await showTab(page, 'plan');
  await page.getByTestId('apply-host').click();
  const persist = page.getByTestId('apply-persist');
  await expect(persist).not.toBeChecked();
  await persist.check();
  await page.getByTestId('run-confirm-go').click();
  await expect(page.getByTestId('run-console')).toHaveAttribute('data-finished', 'true', { timeout: 120_000 });
  const result = page.getByTestId('run-host-lab').getByTestId('run-result');
  await expect(result).toHaveAttribute('data-outcome', 'converged');
  await expect(result.getByTestId('result-persist')).toHaveText(`Survives a reboot: ${UNIT} is enabled and runs ${SCRIPT} at boot.`);
  expect(await env.exec(`readlink ${WANTS}`)).toBe(`${UNIT}\n`);
  expect(await present(SCRIPT)).toBe('yes');
  // Live state (watching starts with the run): the host frame says the design is persistent.
  await expect(page.getByTestId('node-lab').getByTestId('host-persistent')).toBeVisible({ timeout: 30_000 });

  await applyFromPlan(page, 'destroy');
  await expect(result).toHaveAttribute('data-outcome', 'removed');
  for (const f of [WANTS, UNIT, SCRIPT]) expect(await present(f), f).toBe('no');
  await expect(page.getByTestId('node-lab').getByTestId('host-persistent')).toHaveCount(0, { timeout: 30_000 });
});

// The kernel floor for the star design (bench/designs.ts): the fastest hand-written recipe,
// veth peers created straight in their namespaces, one `ip -batch` for the root namespace
// and one per namespace. It proves no ownership and records nothing: the bar, not a rival.

export function recipeUp(n: number, bridges = 10): string {
  const root: string[] = [];
  for (let b = 0; b < bridges; b++) root.push(`link add br${b} type bridge`, `addr add 10.${b}.0.1/16 dev br${b}`, `link set br${b} up`);
  for (let i = 0; i < n; i++) root.push(`netns add n${i}`);
  for (let i = 0; i < n; i++) root.push(`link add vb${i} type veth peer name eth0 netns n${i}`, `link set vb${i} master br${i % bridges} up`);
  const lines = ['set -e', `ip -batch - <<'EOF'\n${root.join('\n')}\nEOF`];
  for (let i = 0; i < n; i++) {
    const b = i % bridges;
    const k = Math.floor(i / bridges) + 2;
    lines.push(`ip -n n${i} -batch - <<'EOF'\nlink set lo up\naddr add 10.${b}.${k >> 8}.${k & 255}/16 dev eth0\nlink set eth0 up\nroute add default via 10.${b}.0.1\nEOF`);
  }
  lines.push('sysctl -qw net.ipv4.ip_forward=1');
  return lines.join('\n');
}

export function recipeDown(n: number, bridges = 10): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`netns del n${i}`);
  for (let b = 0; b < bridges; b++) lines.push(`link del br${b}`);
  // Wait for the kernel to finish removing the root-side veth ends (a lab host's own
  // interfaces are veths too, so match the bench's names only).
  return `ip -batch - <<'EOF'\n${lines.join('\n')}\nEOF\nsysctl -qw net.ipv4.ip_forward=0\nwhile ip -o link show | grep -q ': vb[0-9]'; do sleep 0.02; done`;
}

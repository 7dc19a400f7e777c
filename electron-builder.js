// electron-builder configuration for `npm run dist` (after `electron-vite build` has filled
// out/): AppImage and deb for Linux, dmg for macOS, an NSIS installer for Windows. Release
// hardening: Electron fuses are flipped in afterPack (before signing) — no ELECTRON_RUN_AS_NODE,
// no NODE_OPTIONS, no --inspect arguments, the app loads only from its asar archive and the
// archive's integrity is checked against the hash electron-builder embeds (macOS, Windows;
// Electron has no asar integrity check on Linux).
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';
import { join } from 'node:path';

/** The fuse settings of every packaged build. */
export const RELEASE_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The Electron binary inside a packed app, per platform. */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName);
}

/** afterPack hook: flip the fuses right after packing, before electron-builder signs. */
export async function flipReleaseFuses(context) {
  const arm64Mac = context.electronPlatformName === 'darwin' && context.arch === 3; // builder-util Arch.arm64
  await flipFuses(electronBinaryPath(context), { ...RELEASE_FUSES, resetAdHocDarwinSignature: arm64Mac });
}

/** Debian packages the app needs at run time beyond Electron's own (electron-builder's defaults are kept). */
const DEB_DEPENDS = ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'];

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'dev.wireplan.desktop',
  productName: 'Wireplan',
  copyright: 'Copyright © 2026 the Wireplan authors',
  directories: { output: 'dist/installers', buildResources: 'resources' },
  files: [
    'out/**/*',
    'package.json',
    '!**/*.map',
    // The renderer's libraries are bundled into out/renderer; only the backend's stay in node_modules.
    '!node_modules/{react,react-dom,@xyflow,elkjs,zustand,scheduler,classcat,d3-*,@types,use-sync-external-store}/**',
  ],
  extraResources: [
    { from: 'resources/examples', to: 'examples', filter: ['*.wireplan.json'] },
    // The app's licence and the notices of what it ships (npm run gen:notices), beside the app.
    { from: 'LICENSE', to: 'LICENSE' },
    { from: 'THIRD-PARTY-NOTICES', to: 'THIRD-PARTY-NOTICES' },
    { from: 'resources/schema', to: 'schema', filter: ['*.json'] },
    // The `wireplan` CLI, self-contained (npm run build:cli -- --standalone, run by `npm run
    // dist`), and its launcher; the .deb links /usr/bin/wireplan to the launcher.
    { from: 'dist-cli/standalone', to: 'cli' },
    { from: 'resources/linux/wireplan-cli.sh', to: 'cli/wireplan' },
  ],
  asar: true,
  // ssh2's optional native helpers are rebuilt for Electron and must live outside the archive.
  asarUnpack: ['**/*.node'],
  npmRebuild: true,
  afterPack: flipReleaseFuses,
  fileAssociations: [
    {
      ext: 'wireplan.json',
      name: 'Wireplan design',
      description: 'Wireplan virtual network design',
      mimeType: 'application/vnd.wireplan.design+json',
      role: 'Editor',
    },
  ],
  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'wireplan-desktop',
    icon: 'resources/icons',
    category: 'Network',
    synopsis: 'Designer for Linux virtual networks',
    description: 'Draw namespaces, bridges, veth links, NAT and firewall policies; compile them to exact command plans; apply them over SSH and watch live state.',
    maintainer: 'Wireplan authors <wireplan@users.noreply.github.com>',
    vendor: 'Wireplan',
    mimeTypes: ['application/vnd.wireplan.design+json'],
  },
  deb: {
    // iproute2 and util-linux (unshare, nsenter) run the local sandbox host.
    depends: [...DEB_DEPENDS, 'iproute2', 'util-linux'],
    // nodejs (>= 20) runs the `wireplan` command; the desktop app does not need it.
    recommends: ['openssh-client', 'gnome-keyring', 'nodejs'],
    // electron-builder's own scripts plus the /usr/bin/wireplan link (resources/linux/*.tpl).
    afterInstall: 'resources/linux/after-install.tpl',
    afterRemove: 'resources/linux/after-remove.tpl',
    priority: 'optional',
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    icon: 'resources/icons/1024x1024.png',
    hardenedRuntime: true,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: {
    target: ['nsis'],
    icon: 'resources/icons/256x256.png',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    artifactName: '${productName}-Setup-${version}.${ext}',
  },
  publish: null,
};

export default config;

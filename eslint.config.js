// Lint with zero warnings; import bans enforce the layering in ../shared/DESIGN.md §2.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'net', 'crypto', 'http', 'https', 'stream', 'util', 'events', 'url', 'zlib', 'tls', 'dgram', 'worker_threads', 'process', 'buffer'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tsbuild/**', 'dist/**', 'dist-cli/**', 'out/**', 'e2e/artifacts/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // shared/ is the pure domain core: it runs in the renderer, the main process and the CLI.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', 'react-dom', 'ssh2', ...nodeBuiltins].map((name) => ({
            name,
            message: 'shared/ is pure: no electron, node, DOM, react or ssh2.',
          })),
          patterns: [
            { group: ['node:*'], message: 'shared/ is pure: no node:* imports.' },
            { group: ['@xyflow/*', 'react/*', 'react-dom/*'], message: 'shared/ is pure: no UI imports.' },
            { group: ['../electron/*', '../../electron/*', '../renderer/*', '../../renderer/*'], message: 'shared/ imports nothing from other layers.' },
          ],
        },
      ],
    },
  },
  {
    // The backend must not depend on Electron: the CLI, headless mode and tests use it.
    files: ['electron/**/*.ts'],
    ignores: ['electron/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only electron/shell/ may import electron.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'The backend never imports renderer code.' }],
        },
      ],
    },
  },
  {
    // The renderer talks to the backend only through the API contract.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'ssh2', ...nodeBuiltins].map((name) => ({ name, message: 'The renderer uses the API contract, not node or electron.' })),
          patterns: [
            { group: ['node:*'], message: 'The renderer uses the API contract, not node.' },
            { group: ['**/electron/**'], message: 'The renderer never imports backend code.' },
          ],
        },
      ],
    },
  },
);

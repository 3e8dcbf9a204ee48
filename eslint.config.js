import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

// Layer rules of ../shared/design.md, as lint errors (the tsconfig projects enforce them too).
const electronImport = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };
const nodeImports = { group: ['node:*'], message: 'This layer must stay pure: no Node modules.' };
const nodeBareModules = ['fs', 'net', 'tls', 'path', 'os', 'child_process', 'http', 'https', 'crypto', 'stream', 'zlib'].map(
  (name) => ({ name, message: 'This layer must stay pure: no Node modules.' }),
);
const reachIntoCoreOrMain = {
  group: ['**/electron/core/**', '**/electron/main/**', '**/core/**', '**/main/**'],
  message: 'The renderer talks to main only through the contract in electron/shared.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', '.tsbuild/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its error, a promise where a callback
    // returns void is never awaited, and a switch on a union must name every member. Each file
    // is checked in the TypeScript project of its layer (typescript-eslint's project service
    // finds it through the root tsconfig's references); .vue scripts in the renderer's.
    files: ['**/*.ts', '**/*.vue'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.vue'] },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  // The layer guard is reached only through tsconfig `paths`, in no project of its own.
  { files: ['build/layer-guard/*.d.ts'], ...tseslint.configs.disableTypeChecked },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Wire protocols and their tests must name control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['electron/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronImport, ...nodeBareModules], patterns: [nodeImports] }],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronImport] }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronImport, ...nodeBareModules], patterns: [nodeImports, reachIntoCoreOrMain] },
      ],
    },
  },
);

// Lint rules that enforce the one direction of dependency (STYLE.md, "Layout"):
// domain <- ml <- strategies, store, legacy <- services <- interfaces <- main.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});

export default tseslint.config(
  { ignores: ['.tmp/**', 'dist/**', 'node_modules/**', 'src/interfaces/web/dist/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'process.env is read only in src/main/**',
        },
      ],
    },
  },
  {
    // Small modules, short functions: one over these limits must say in a comment why it is one
    // piece (a hot loop measured slower when split) and disable the rule there.
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 600 }],
      'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/main/**', 'test/**', 'bench/**', 'scripts/**', '*.config.*'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Test workers reuse loaded modules from one file to the next (vitest.config.ts, isolate:
    // false), so a test must not change what the next file in that process would see.
    files: ['test/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name='vi'][callee.property.name=/^(mock|doMock|unmock|stubEnv|stubGlobal|useFakeTimers)$/]",
          message: 'test workers are shared between files: no module mocks, stubbed globals or fake timers',
        },
        {
          selector:
            "AssignmentExpression > MemberExpression.left[object.object.name='process'][object.property.name='env']",
          message:
            'test workers are shared between files: pass an env object instead of changing process.env',
        },
        {
          selector:
            "UnaryExpression[operator='delete'] > MemberExpression[object.object.name='process'][object.property.name='env']",
          message:
            'test workers are shared between files: pass an env object instead of changing process.env',
        },
        {
          selector: "CallExpression[callee.object.name='process'][callee.property.name='chdir']",
          message: 'test workers are shared between files: give a child process its cwd instead',
        },
      ],
    },
  },
  layer(
    ['src/domain/**'],
    [
      '**/ml/**',
      '**/strategies/**',
      '**/store/**',
      '**/legacy/**',
      '**/services/**',
      '**/interfaces/**',
      '**/main/**',
    ],
    'domain imports nothing',
  ),
  layer(
    ['src/ml/**'],
    [
      '**/strategies/**',
      '**/store/**',
      '**/legacy/**',
      '**/services/**',
      '**/interfaces/**',
      '**/main/**',
      'better-sqlite3',
    ],
    'ml imports only domain',
  ),
  layer(
    ['src/strategies/**', 'src/legacy/**'],
    ['**/store/**', '**/services/**', '**/interfaces/**', '**/main/**', 'better-sqlite3'],
    'strategies/legacy import only domain and ml',
  ),
  layer(
    ['src/store/**'],
    ['**/ml/**', '**/strategies/**', '**/legacy/**', '**/services/**', '**/interfaces/**', '**/main/**'],
    'store imports only domain',
  ),
  layer(
    ['src/services/**'],
    ['**/interfaces/**', '**/main/**', 'better-sqlite3'],
    'services never import interfaces',
  ),
  layer(
    ['src/interfaces/**'],
    ['**/store/**', '**/ml/**', '**/legacy/**', '**/strategies/**', '**/main/**', 'better-sqlite3'],
    'interfaces use services and domain types only',
  ),
  {
    files: ['src/store/**'],
    ignores: ['src/store/connection.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/ml/**',
                '**/strategies/**',
                '**/legacy/**',
                '**/services/**',
                '**/interfaces/**',
                '**/main/**',
              ],
              message: 'store imports only domain',
            },
          ],
          paths: [{ name: 'better-sqlite3', message: 'only src/store/connection.ts imports better-sqlite3' }],
        },
      ],
    },
  },
);

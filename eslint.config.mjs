import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Which projects may depend on which; tests may also use the testing lib. */
function boundaries(inTests) {
  const testing = inTests ? ['type:testing'] : [];
  return [
    { sourceTag: 'type:app', notDependOnLibsWithTags: ['type:app'] },
    { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [...testing] },
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contract', ...testing] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:contract'] },
    { sourceTag: 'scope:channel', onlyDependOnLibsWithTags: ['scope:shared'] },
    { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:shared', 'scope:core'] },
    { sourceTag: 'scope:tooling', onlyDependOnLibsWithTags: ['scope:shared', 'scope:core'] },
  ];
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'libs/db/src/generated/**',
      'bench/results/**',
      'coverage/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Nest decorators need the classes at run time; type-only imports would break DI.
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through @parley/config.' },
      ],
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints: boundaries(false) }],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints: boundaries(true) }],
    },
  },
  {
    // Where the environment is legitimately read: config, tests' own setup, dev tooling.
    files: [
      'libs/config/**',
      'libs/testing/**',
      '**/test/**',
      '**/*.spec.ts',
      'scripts/**',
      'bench/**',
      'prisma.config.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain CommonJS scripts (build, bin, jest config) load modules with require().
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

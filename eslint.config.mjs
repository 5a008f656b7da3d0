// Lint for every project: typescript-eslint's recommended rules plus Nx module boundaries.
// Boundaries follow the architecture picture of design.md: services share only
// generated contracts and small server libraries, never each other's code.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const serverLibs = ['scope:server', 'scope:contracts'];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/generated/**',
      '**/.data/**',
      '**/coverage/**',
      '**/*.d.mts',
      // The mobile app's native projects: templates, build outputs and `cap sync`'s copies of the web build.
      'apps/mobile/android/**',
      'apps/mobile/ios/**',
    ],
  },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use node:crypto (randomInt, randomBytes) for anything that must be unguessable.',
        },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // Tests start the project's own local S3 server and extra gateway replicas from tools/;
          // the cluster's end-to-end suite speaks to its gateways with gateway-e2e's helpers.
          allow: [
            'tools/s3/local-s3\\.mjs$',
            'tools/platform/platform\\.mjs$',
            'tools/browser/chromium\\.mjs$',
            '^\\.\\./\\.\\./gateway-e2e/test/support/[\\w-]+\\.js$',
          ],
          depConstraints: [
            { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: ['scope:contracts'] },
            { sourceTag: 'scope:server', onlyDependOnLibsWithTags: serverLibs },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', ...serverLibs] },
            { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:auth', ...serverLibs] },
            { sourceTag: 'scope:files', onlyDependOnLibsWithTags: ['scope:files', ...serverLibs] },
            { sourceTag: 'scope:quotas', onlyDependOnLibsWithTags: ['scope:quotas', ...serverLibs] },
            { sourceTag: 'scope:cleanup', onlyDependOnLibsWithTags: ['scope:cleanup', ...serverLibs] },
            { sourceTag: 'scope:relay', onlyDependOnLibsWithTags: ['scope:relay', ...serverLibs] },
            // Clients (the web app, the Ionic app) share only the client libraries, never server code.
            { sourceTag: 'scope:client', onlyDependOnLibsWithTags: ['scope:client'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:client'] },
            { sourceTag: 'scope:mobile', onlyDependOnLibsWithTags: ['scope:mobile', 'scope:client'] },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contracts'],
            },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:data-access'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:util', 'type:testing', 'type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'platform:node', onlyDependOnLibsWithTags: ['platform:node', 'platform:neutral'] },
            { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['platform:browser', 'platform:neutral'] },
            { sourceTag: 'platform:neutral', onlyDependOnLibsWithTags: ['platform:neutral'] },
          ],
        },
      ],
    },
  },
  {
    // Tests may reach into what they test and use loose fixtures.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);

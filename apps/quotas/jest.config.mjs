import preset from '../../jest.preset.mjs';

export default { ...preset, displayName: 'quotas', rootDir: import.meta.dirname };

import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-redis', rootDir: import.meta.dirname };

import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-storage', rootDir: import.meta.dirname };

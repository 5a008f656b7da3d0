import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-database', rootDir: import.meta.dirname };

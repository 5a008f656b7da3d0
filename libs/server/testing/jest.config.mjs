import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-testing', rootDir: import.meta.dirname };

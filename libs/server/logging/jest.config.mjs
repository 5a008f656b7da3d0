import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-logging', rootDir: import.meta.dirname };

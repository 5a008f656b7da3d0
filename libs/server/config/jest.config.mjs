import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-config', rootDir: import.meta.dirname };

import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-shutdown', rootDir: import.meta.dirname };

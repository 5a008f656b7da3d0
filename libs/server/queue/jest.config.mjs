import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-queue', rootDir: import.meta.dirname };

import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-errors', rootDir: import.meta.dirname };

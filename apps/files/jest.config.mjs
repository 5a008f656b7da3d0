import preset from '../../jest.preset.mjs';

export default { ...preset, displayName: 'files', rootDir: import.meta.dirname };

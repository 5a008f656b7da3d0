import preset from '../../jest.preset.mjs';

export default { ...preset, displayName: 'cleanup', rootDir: import.meta.dirname };

import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'client-api', rootDir: import.meta.dirname };

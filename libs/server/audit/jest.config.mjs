import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-audit', rootDir: import.meta.dirname };

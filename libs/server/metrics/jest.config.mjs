import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-metrics', rootDir: import.meta.dirname };

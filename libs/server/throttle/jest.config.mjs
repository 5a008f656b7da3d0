import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-throttle', rootDir: import.meta.dirname };

import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-websocket', rootDir: import.meta.dirname };

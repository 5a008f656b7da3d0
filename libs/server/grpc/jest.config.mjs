import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'server-grpc', rootDir: import.meta.dirname };

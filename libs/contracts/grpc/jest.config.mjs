import preset from '../../../jest.preset.mjs';

export default { ...preset, displayName: 'contracts-grpc', rootDir: import.meta.dirname };

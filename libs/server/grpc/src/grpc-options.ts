import { GRPC_HEALTH, GRPC_SERVICES, PROTO_ROOT, type GrpcServiceName } from '@lexy/contracts-grpc';
import { Transport, type GrpcOptions } from '@nestjs/microservices';

/**
 * How protos are read at run time. Names become camelCase (as ts-proto generates them),
 * int64 becomes number (sizes stay far below 2^53), and absent proto3 `optional` fields
 * stay absent, so "unlimited" is never mistaken for 0.
 */
const LOADER_OPTIONS: GrpcOptions['options']['loader'] = {
  keepCase: false,
  longs: Number,
  enums: Number,
  defaults: true,
  oneofs: true,
  arrays: true,
  includeDirs: [PROTO_ROOT],
};

/** Options for a Nest gRPC microservice serving one domain service plus grpc.health.v1. */
export type GrpcTransportOptions = GrpcOptions & { transport: Transport.GRPC };

export function grpcServerOptions(service: GrpcServiceName, address: string): GrpcTransportOptions {
  const definition = GRPC_SERVICES[service];
  return {
    transport: Transport.GRPC,
    options: {
      url: address,
      package: [definition.package, GRPC_HEALTH.package],
      protoPath: [definition.protoPath, GRPC_HEALTH.protoPath],
      loader: LOADER_OPTIONS,
      gracefulShutdown: true,
    },
  };
}

/** Options for a Nest gRPC client of one domain service (and its health check). */
export function grpcClientOptions(service: GrpcServiceName, address: string): GrpcTransportOptions {
  return grpcServerOptions(service, address);
}

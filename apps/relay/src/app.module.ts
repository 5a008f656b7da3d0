import { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from '@lexy/server-grpc';
import { databaseProviders, databaseReachable } from '@lexy/server-database';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { RELAY_CONFIG, relayDatabase, type RelayConfig } from './config/relay.config.js';
import { RELAY_SCHEMA } from './database/schema.js';
import { DevicesRepository } from './devices/devices.repository.js';
import { DevicesService } from './devices/devices.service.js';
import { DeviceRevocations } from './devices/device-revocations.js';
import { PeerServer } from './peer/peer-server.js';
import { Presence } from './presence/presence.js';
import { SocketLocations } from './presence/socket-locations.js';
import { AccountEvents } from './events/account-events.js';
import { grpcClientProviders } from './grpc/grpc-clients.js';
import {
  REDIS,
  RedisCloser,
  redisProvider,
  RedisSubscriberCloser,
  redisSubscriberProvider,
} from './redis/redis.providers.js';
import { RelayMaintenanceController } from './relay/relay-maintenance.controller.js';
import { RelayController } from './relay/relay.controller.js';
import { ConnectedDevices } from './socket/connected-devices.js';
import { DeviceConnections } from './socket/device-connections.js';
import { DeviceSocketGateway } from './socket/device-socket.gateway.js';
import { OpenSockets } from './socket/open-sockets.js';
import { RelayDrain } from './socket/relay-drain.js';
import { SocketAuthenticator } from './socket/socket-authenticator.js';
import { UpgradeAuthentication } from './socket/upgrade-authentication.js';
import { SocketTickets } from './socket/ws-tickets.js';
import { RelaySessions } from './streaming/relay-sessions.js';
import { StreamLeases } from './streaming/stream-leases.js';
import { Signals } from './streaming/signals.js';
import { StreamNotices } from './streaming/stream-notices.js';
import { TransferEndings } from './streaming/transfer-endings.js';
import { relayThrottleProviders } from './throttle/relay-throttle.js';
import { PendingOffers } from './transfers/pending-offers.js';
import { StoredFiles } from './transfers/stored-files.js';
import { TransfersRepository } from './transfers/transfers.repository.js';
import { TransfersService } from './transfers/transfers.service.js';

@Module({})
export class AppModule {
  static register(config: RelayConfig): DynamicModule {
    return {
      module: AppModule,
      // Every service of lexy.relay.v1 with a controller here is served: RelayService for the
      // gateway, RelayMaintenanceService for the cleanup worker.
      controllers: [GrpcHealthController, RelayController, RelayMaintenanceController],
      providers: [
        { provide: RELAY_CONFIG, useValue: config },
        ...databaseProviders(relayDatabase(config), RELAY_SCHEMA),
        redisProvider,
        RedisCloser,
        redisSubscriberProvider,
        RedisSubscriberCloser,
        ...grpcClientProviders,
        {
          provide: Presence,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new Presence(redis, { prefix: config.RELAY_REDIS_PREFIX, ttlSeconds: config.RELAY_PRESENCE_TTL_SECONDS }),
        },
        {
          provide: SocketLocations,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new SocketLocations(redis, {
              prefix: config.RELAY_REDIS_PREFIX,
              ttlSeconds: config.RELAY_PRESENCE_TTL_SECONDS,
              self: config.RELAY_PEER_URL,
            }),
        },
        DevicesRepository,
        DevicesService,
        DeviceRevocations,
        TransfersRepository,
        TransfersService,
        StoredFiles,
        PendingOffers,
        // The devices' WebSocket (/ws) and the events it carries.
        ConnectedDevices,
        AccountEvents,
        SocketAuthenticator,
        UpgradeAuthentication,
        SocketTickets,
        // The group's download speed on relayed bytes (the gateway's buckets, in Redis).
        ...relayThrottleProviders,
        // Relayed streams, on this replica and across replicas (ADR 0008).
        TransferEndings,
        StreamLeases,
        StreamNotices,
        RelaySessions,
        Signals,
        PeerServer,
        DeviceConnections,
        OpenSockets,
        DeviceSocketGateway,
        // The graceful shutdown of the sockets (main.ts runs it beside the gRPC server's).
        RelayDrain,
        {
          provide: READINESS_CHECKS,
          inject: [DataSource],
          // The database only: without Redis the service still answers (every device reads
          // offline), so a Redis outage must not take every replica out of rotation.
          useFactory: (dataSource: DataSource): ReadinessCheck[] => [databaseReachable(dataSource)],
        },
      ],
    };
  }
}

import { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from '@lexy/server-grpc';
import { createLogger, type Logger } from '@lexy/server-logging';
import { databaseProviders, databaseReachable } from '@lexy/server-database';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { UserAdminController } from './admin/user-admin.controller.js';
import { UserAdminRepository } from './admin/user-admin.repository.js';
import { UserAdminService } from './admin/user-admin.service.js';
import { AccountService } from './auth/account.service.js';
import { AdminBootstrap } from './auth/admin-bootstrap.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthRepository } from './auth/auth.repository.js';
import { AuthService } from './auth/auth.service.js';
import { Clock, SystemClock } from './auth/clock.js';
import { LoginThrottle, RedisCounterStore } from './auth/login-throttle.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { RefreshGraceStore } from './auth/refresh-grace-store.js';
import { RefreshPolicy } from './auth/refresh-policy.js';
import { RefreshService } from './auth/refresh.service.js';
import { RevocationPublisher } from './auth/revocation-publisher.js';
import { SECURITY_LOG } from './auth/security-log.js';
import { SessionFactory } from './auth/session-factory.js';
import { TokenService } from './auth/token.service.js';
import { AUTH_CONFIG, authDatabase, type AuthConfig } from './config/auth.config.js';
import { AUTH_SCHEMA } from './database/schema.js';
import { REDIS, RedisCloser, redisProvider } from './redis/redis.providers.js';

export interface AppOverrides {
  /** Replaces the system clock (tests move time instead of waiting). */
  clock?: Clock;
  /** Replaces the security-event logger (tests read what it wrote). */
  securityLog?: Logger;
}

@Module({})
export class AppModule {
  static register(config: AuthConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      controllers: [GrpcHealthController, AuthController, UserAdminController],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        { provide: Clock, useValue: overrides.clock ?? new SystemClock() },
        { provide: SECURITY_LOG, useValue: overrides.securityLog ?? createLogger('auth', config.LOG_LEVEL) },
        ...databaseProviders(authDatabase(config), AUTH_SCHEMA),
        redisProvider,
        RedisCloser,
        {
          provide: LoginThrottle,
          inject: [REDIS, Clock],
          useFactory: (redis: Redis, clock: Clock) =>
            new LoginThrottle(new RedisCounterStore(redis), clock, config.AUTH_REDIS_PREFIX),
        },
        AuthRepository,
        TokenService,
        SessionFactory,
        PasswordHasher,
        RevocationPublisher,
        RefreshPolicy,
        RefreshGraceStore,
        AuthService,
        RefreshService,
        AccountService,
        UserAdminRepository,
        UserAdminService,
        AdminBootstrap,
        {
          provide: READINESS_CHECKS,
          inject: [DataSource, REDIS],
          useFactory: (dataSource: DataSource, redis: Redis): ReadinessCheck[] => [
            databaseReachable(dataSource),
            // Sign-in and revocation need Redis; without it they fail closed.
            async () => (await redis.ping()) === 'PONG',
          ],
        },
      ],
    };
  }
}

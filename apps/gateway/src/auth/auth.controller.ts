import { authV1 } from '@lexy/contracts-grpc';
import { signCallerToken } from '@lexy/server-grpc';
import { Body, Controller, Get, HttpCode, Inject, Logger, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import {
  AUTH_CLIENT,
  FILES_CLIENT,
  QUOTAS_CLIENT,
  type AuthClient,
  type FilesClient,
  type QuotasClient,
} from '../grpc/grpc-clients.js';
import { bearerToken } from '../identity/access-token.strategy.js';
import { actAs, CallerGuard, userCaller } from '../identity/caller.guard.js';
import { CurrentToken, RequireToken, type Caller } from '../identity/caller.js';
import { ClientAddresses } from '../identity/client-addresses.js';
import { RevocationList } from '../identity/revocation-list.js';
import { TokenVerifier, type VerifiedToken } from '../identity/token-verifier.js';
import {
  AnonymousSessionRequest,
  AnonymousSessionResponse,
  ChangePasswordRequest,
  LoginRequest,
  LogoutRequest,
  MeResponse,
  RefreshRequest,
  RegisterRequest,
  SessionResponse,
} from './auth.dto.js';
import { toLimitsView, toSessionResponse, toUserView } from './auth.views.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger('auth');

  constructor(
    @Inject(AUTH_CLIENT) private readonly auth: AuthClient,
    @Inject(FILES_CLIENT) private readonly files: FilesClient,
    @Inject(QUOTAS_CLIENT) private readonly quotas: QuotasClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly addresses: ClientAddresses,
    private readonly tokens: TokenVerifier,
    private readonly revocations: RevocationList,
  ) {}

  @Post('register')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create an account (group normal) and sign in',
    description: 'Sent with an anonymous access token, that identity’s live files move to the new account.',
  })
  @ApiCreatedResponse({ type: SessionResponse })
  async register(@Body() body: RegisterRequest, @Req() request: Request): Promise<SessionResponse> {
    const anonymous = await this.anonymousCaller(request);
    const { session } = await this.auth.register({
      email: body.email,
      password: body.password,
      displayName: body.displayName ?? '',
      clientAddress: this.addresses.keyOf(request),
    });
    return this.signedIn(session, anonymous);
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description: 'Sent with an anonymous access token, that identity’s live files move to the account.',
  })
  @ApiOkResponse({ type: SessionResponse })
  async login(@Body() body: LoginRequest, @Req() request: Request): Promise<SessionResponse> {
    const anonymous = await this.anonymousCaller(request);
    const { session } = await this.auth.login({
      email: body.email,
      password: body.password,
      clientAddress: this.addresses.keyOf(request),
    });
    return this.signedIn(session, anonymous);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair (each refresh token works once)',
    description:
      'The token just rotated, presented again within the grace window (10 s), yields the same new refresh token, ' +
      'or 409 REFRESH_IN_PROGRESS with Retry-After: 1. Any other used token revokes the session: 401 REFRESH_TOKEN_REUSED. ' +
      'A session ends 30 days after sign-in and after 14 days without a refresh: 401 SESSION_REVOKED.',
  })
  @ApiOkResponse({ type: SessionResponse })
  async refresh(@Body() body: RefreshRequest): Promise<SessionResponse> {
    const { session } = await this.auth.refresh({ refreshToken: body.refreshToken });
    return toSessionResponse(session);
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(CallerGuard)
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this session; its access token stops working at once' })
  @ApiNoContentResponse()
  async logout(@Body() body: LogoutRequest, @CurrentToken() token: VerifiedToken): Promise<void> {
    await this.auth.logout({ refreshToken: body.refreshToken, sessionId: token.sessionId });
  }

  @Post('password')
  @HttpCode(200)
  @UseGuards(CallerGuard)
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change the password; optionally sign out every other device' })
  @ApiOkResponse({ type: SessionResponse })
  async changePassword(
    @Body() body: ChangePasswordRequest,
    @CurrentToken() token: VerifiedToken,
  ): Promise<SessionResponse> {
    const { session } = await this.auth.changePassword({
      currentPassword: body.currentPassword,
      newPassword: body.newPassword,
      signOutOtherSessions: body.signOutOtherSessions ?? false,
      sessionId: token.sessionId,
    });
    return toSessionResponse(session);
  }

  @Post('anonymous')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create an anonymous identity and get its tokens' })
  @ApiOkResponse({ type: AnonymousSessionResponse })
  async createAnonymous(@Body() body: AnonymousSessionRequest): Promise<AnonymousSessionResponse> {
    const created = await this.auth.createAnonymousUser({ fingerprint: body.fingerprint ?? '' });
    return {
      user: { id: created.user?.id ?? '', group: created.user?.group ?? 'anonymous' },
      accessToken: created.accessToken,
      refreshToken: created.refreshToken,
      expiresIn: created.expiresIn,
    };
  }

  @Get('me')
  @UseGuards(CallerGuard)
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user, the group’s limits and current usage' })
  @ApiOkResponse({ type: MeResponse })
  async me(): Promise<MeResponse> {
    const { user } = await this.auth.getMe({});
    const [{ limits }, { usage }] = await Promise.all([
      this.quotas.getGroupLimits({ group: user?.group ?? '' }),
      this.quotas.getUsage({}),
    ]);
    return {
      user: toUserView(user),
      quota: {
        limits: toLimitsView(limits),
        usage: {
          storageBytes: usage?.storageUsedBytes ?? 0,
          reservedBytes: usage?.storageReservedBytes ?? 0,
          trafficBytes: usage?.trafficUsedBytes ?? 0,
        },
      },
    };
  }

  /** The anonymous identity behind the request's bearer token, if it is a valid one. */
  private async anonymousCaller(request: Request): Promise<Caller | undefined> {
    try {
      const token = bearerToken(request);
      if (!token) return undefined;
      const verified = await this.tokens.verify(token);
      if (verified.group !== 'anonymous') return undefined;
      await this.revocations.assertActive(verified.userId, verified.sessionId);
      return userCaller(verified.userId, verified.group);
    } catch {
      // A stale anonymous token must not stand in the way of signing in.
      return undefined;
    }
  }

  /** The session answer; with an anonymous identity, its files move to the account first. */
  private async signedIn(session: authV1.AuthSession | undefined, anonymous: Caller | undefined) {
    const response = toSessionResponse(session);
    if (!anonymous || !session?.user) return response;
    actAs(userCaller(session.user.id, session.user.group), this.config.INTERNAL_CALLER_SECRET);
    try {
      const adopted = await this.files.adoptFiles({
        fromCallerToken: signCallerToken(anonymous, this.config.INTERNAL_CALLER_SECRET),
      });
      response.adoptedFiles = { moved: adopted.moved, kept: adopted.kept };
    } catch (error) {
      // Signing in succeeded; the files stay with the anonymous identity and can move on a later sign-in.
      this.logger.warn(`could not move anonymous files: ${(error as Error).message}`);
    }
    return response;
  }
}

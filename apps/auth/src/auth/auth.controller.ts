import { authV1 } from '@lexy/contracts-grpc';
import { Controller } from '@nestjs/common';
import { AccountService } from './account.service.js';
import { AuthService } from './auth.service.js';
import { RefreshService } from './refresh.service.js';

@Controller()
@authV1.AuthServiceControllerMethods()
export class AuthController implements authV1.AuthServiceController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AccountService,
    private readonly refreshes: RefreshService,
  ) {}

  register(request: authV1.RegisterRequest): Promise<authV1.RegisterResponse> {
    return this.accounts.register(request);
  }

  login(request: authV1.LoginRequest): Promise<authV1.LoginResponse> {
    return this.accounts.login(request);
  }

  refresh(request: authV1.RefreshRequest): Promise<authV1.RefreshResponse> {
    return this.refreshes.refresh(request.refreshToken);
  }

  logout(request: authV1.LogoutRequest): Promise<authV1.LogoutResponse> {
    return this.accounts.logout(request);
  }

  getMe(): Promise<authV1.GetMeResponse> {
    return this.accounts.getMe();
  }

  changePassword(request: authV1.ChangePasswordRequest): Promise<authV1.ChangePasswordResponse> {
    return this.accounts.changePassword(request);
  }

  createAnonymousUser(request: authV1.CreateAnonymousUserRequest): Promise<authV1.CreateAnonymousUserResponse> {
    return this.auth.createAnonymousUser(request.fingerprint);
  }

  verifyAccessToken(request: authV1.VerifyAccessTokenRequest): Promise<authV1.VerifyAccessTokenResponse> {
    return this.auth.verifyAccessToken(request.accessToken);
  }
}

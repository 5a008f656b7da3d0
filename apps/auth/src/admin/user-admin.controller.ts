import { authV1 } from '@lexy/contracts-grpc';
import { Controller } from '@nestjs/common';
import { UserAdminService } from './user-admin.service.js';

// The admin console's calls. UserAdminService checks, against the database, that the caller
// is an enabled administrator.
@Controller()
@authV1.UserAdminServiceControllerMethods()
export class UserAdminController implements authV1.UserAdminServiceController {
  constructor(private readonly admin: UserAdminService) {}

  listUsers(request: authV1.ListUsersRequest): Promise<authV1.ListUsersResponse> {
    return this.admin.listUsers(request);
  }

  getUsers(request: authV1.GetUsersRequest): Promise<authV1.GetUsersResponse> {
    return this.admin.getUsers(request);
  }

  updateUser(request: authV1.UpdateUserRequest): Promise<authV1.UpdateUserResponse> {
    return this.admin.updateUser(request);
  }

  getUserStats(request: authV1.GetUserStatsRequest): Promise<authV1.GetUserStatsResponse> {
    return this.admin.getUserStats(request);
  }

  listAudit(request: authV1.ListAuditRequest): Promise<authV1.ListAuditResponse> {
    return this.admin.listAudit(request);
  }
}

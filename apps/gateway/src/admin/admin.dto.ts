import { MAX_ADMIN_PAGE_SIZE } from '@lexy/server-grpc';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const GROUP_NAMES = ['anonymous', 'normal', 'vip', 'admin'] as const;
export const SORT_ORDERS = ['asc', 'desc'] as const;

/** `?disabled=true` arrives as a string; anything but "true"/"false" stays a string and fails IsBoolean. */
const booleanQuery = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** `?limit=&cursor=` of every admin list (security-cases AZ-05: at most 100 per page). */
export class AdminPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ADMIN_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ADMIN_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (same filters and sort)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class AdminUsersQuery extends AdminPageQuery {
  @ApiPropertyOptional({ description: 'Part of the email or display name (case-insensitive)', maxLength: 254 })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  query?: string;

  @ApiPropertyOptional({ enum: GROUP_NAMES })
  @IsOptional()
  @IsIn(GROUP_NAMES)
  group?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(booleanQuery)
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ enum: ['createdAt', 'email'], default: 'createdAt' })
  @IsOptional()
  @IsIn(['createdAt', 'email'])
  sort?: string;

  @ApiPropertyOptional({ enum: SORT_ORDERS, description: 'Default: desc for createdAt, asc for email' })
  @IsOptional()
  @IsIn(SORT_ORDERS)
  order?: 'asc' | 'desc';
}

export class UpdateUserRequest {
  @ApiPropertyOptional({ enum: GROUP_NAMES })
  @IsOptional()
  @IsIn(GROUP_NAMES)
  group?: string;

  @ApiPropertyOptional({ description: 'Disabling ends every session of the user at once' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class AdminFilesQuery extends AdminPageQuery {
  @ApiPropertyOptional({ description: 'A user id, an email, or an owner key such as ip:203.0.113.7', maxLength: 254 })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  owner?: string;

  @ApiPropertyOptional({ enum: ['active', 'expired'] })
  @IsOptional()
  @IsIn(['active', 'expired'])
  status?: 'active' | 'expired';

  @ApiPropertyOptional({ description: 'Part of the file name (case-insensitive)', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  query?: string;

  @ApiPropertyOptional({ enum: ['createdAt', 'size', 'name', 'expiresAt'], default: 'createdAt' })
  @IsOptional()
  @IsIn(['createdAt', 'size', 'name', 'expiresAt'])
  sort?: string;

  @ApiPropertyOptional({ enum: SORT_ORDERS, description: 'Default: desc (asc for name)' })
  @IsOptional()
  @IsIn(SORT_ORDERS)
  order?: 'asc' | 'desc';
}

export class AdminDeleteFileQuery {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'A takedown: the file’s SHA-256 joins the blocklist, and the same bytes cannot be uploaded again',
  })
  @IsOptional()
  @Transform(booleanQuery)
  @IsBoolean()
  block?: boolean;

  @ApiPropertyOptional({ description: 'Why; kept in the audit log', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** A limit's new value: a whole number within its bounds, or null for unlimited. */
function Limit(min: number, max: number, unit: string): PropertyDecorator {
  const decorators = [
    ApiPropertyOptional({
      type: Number,
      nullable: true,
      minimum: min,
      maximum: max,
      description: `${unit}; null = unlimited`,
    }),
    IsOptional(),
    ValidateIf((_object: unknown, value: unknown) => value !== null),
    IsInt(),
    Min(min),
    Max(max),
  ];
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}

/** Bounds of docs/api.md § Admin: nothing negative, nothing absurd. */
export class GroupLimitsPatch {
  @Limit(1_000, 1e12, 'bytes per second') downloadBytesPerSecond?: number | null;
  @Limit(1, 1e15, 'bytes') maxFileBytes?: number | null;
  @Limit(1, 1e16, 'bytes') storageBytes?: number | null;
  @Limit(1, 1e16, 'bytes per window') trafficBytes?: number | null;
  @Limit(60, 315_360_000, 'seconds') retentionSeconds?: number | null;

  @ApiPropertyOptional({ enum: ['day', 'month'], description: 'Not null: a traffic limit always has a window' })
  @ValidateIf((_object: unknown, value: unknown) => value !== undefined)
  @IsIn(['day', 'month'])
  trafficWindow?: 'day' | 'month';
}

export class UpdateGroupRequest {
  @ApiProperty({ type: GroupLimitsPatch, description: 'Any subset of the limits' })
  @IsObject()
  @ValidateNested()
  @Type(() => GroupLimitsPatch)
  limits: GroupLimitsPatch;
}

export class AdminAuditQuery extends AdminPageQuery {}

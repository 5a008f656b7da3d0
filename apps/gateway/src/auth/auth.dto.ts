import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

// Lengths here only keep absurd bodies out; the auth service applies the real rules
// (passwords of 8-256 characters, checked exactly as sent).
export class AnonymousSessionRequest {
  @ApiPropertyOptional({ description: 'A stable device fingerprint, if the client has one', maxLength: 256 })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  fingerprint?: string;
}

export class RegisterRequest {
  @ApiProperty({ example: 'ada@example.com' }) @IsEmail() @MaxLength(320) email: string;
  @ApiProperty({ minLength: 8, maxLength: 256 }) @IsString() @MaxLength(1024) password: string;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) displayName?: string;
}

export class LoginRequest {
  @ApiProperty() @IsString() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @MaxLength(1024) password: string;
}

export class RefreshRequest {
  @ApiProperty() @IsString() @MaxLength(512) refreshToken: string;
}

export class LogoutRequest {
  @ApiProperty() @IsString() @MaxLength(512) refreshToken: string;
}

export class ChangePasswordRequest {
  @ApiProperty() @IsString() @MaxLength(1024) currentPassword: string;
  @ApiProperty({ minLength: 8, maxLength: 256 }) @IsString() @MaxLength(1024) newPassword: string;
  @ApiPropertyOptional({ description: 'Also sign out every other device', default: false })
  @IsOptional()
  @IsBoolean()
  signOutOtherSessions?: boolean;
}

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty({ enum: ['anonymous', 'normal', 'vip', 'admin'] }) group: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AnonymousUserView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'anonymous' }) group: string;
}

export class AdoptedFilesView {
  @ApiProperty({ description: 'Files moved from the anonymous identity to this account' }) moved: number;
  @ApiProperty({ description: 'Files left behind because they exceed this account’s limits' }) kept: number;
}

export class SessionResponse {
  @ApiProperty({ type: UserView }) user: UserView;
  @ApiProperty({ description: 'Bearer access token (JWT)' }) accessToken: string;
  @ApiProperty({ description: 'Opaque refresh token; each one works once' }) refreshToken: string;
  @ApiProperty({ description: 'Access-token lifetime in seconds', example: 900 }) expiresIn: number;
  @ApiPropertyOptional({
    type: AdoptedFilesView,
    description: 'Present when the request carried an anonymous access token: its files now belong to this account',
  })
  adoptedFiles?: AdoptedFilesView;
}

export class AnonymousSessionResponse {
  @ApiProperty({ type: AnonymousUserView }) user: AnonymousUserView;
  @ApiProperty({ description: 'Bearer access token (JWT)' }) accessToken: string;
  @ApiProperty({ description: 'Opaque refresh token' }) refreshToken: string;
  @ApiProperty({ description: 'Access-token lifetime in seconds', example: 900 }) expiresIn: number;
}

export class LimitsView {
  @ApiProperty({ nullable: true, type: Number, description: 'null = unlimited' }) downloadBytesPerSecond: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxFileBytes: number | null;
  @ApiProperty({ nullable: true, type: Number }) storageBytes: number | null;
  @ApiProperty({ nullable: true, type: Number }) trafficBytes: number | null;
  @ApiProperty({ nullable: true, enum: ['day', 'month'], type: String }) trafficWindow: 'day' | 'month' | null;
  @ApiProperty({ nullable: true, type: Number }) retentionSeconds: number | null;
}

export class UsageView {
  @ApiProperty({ description: 'Bytes of stored files' }) storageBytes: number;
  @ApiProperty({ description: 'Bytes reserved by uploads in flight' }) reservedBytes: number;
  @ApiProperty({ description: 'Download bytes sent in the current traffic window (UTC day or month)' })
  trafficBytes: number;
}

export class QuotaView {
  @ApiProperty({ type: LimitsView }) limits: LimitsView;
  @ApiProperty({ type: UsageView }) usage: UsageView;
}

export class MeResponse {
  @ApiProperty({ type: UserView }) user: UserView;
  @ApiProperty({ type: QuotaView }) quota: QuotaView;
}

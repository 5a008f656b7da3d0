import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class AnonymousSessionRequest {
  @ApiPropertyOptional({ description: 'A stable device fingerprint, if the client has one', maxLength: 256 })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  fingerprint?: string;
}

export class AnonymousUserView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'anonymous' }) group: string;
}

export class AnonymousSessionResponse {
  @ApiProperty({ type: AnonymousUserView }) user: AnonymousUserView;
  @ApiProperty({ description: 'Bearer access token (JWT)' }) accessToken: string;
  @ApiProperty({ description: 'Opaque refresh token' }) refreshToken: string;
  @ApiProperty({ description: 'Access-token lifetime in seconds', example: 900 }) expiresIn: number;
}

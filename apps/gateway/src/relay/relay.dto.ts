import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEVICE_PLATFORMS, TRANSFER_MODES } from './relay.views.js';

export class RegisterDeviceRequest {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'My laptop' })
  @IsString()
  @Length(1, 64)
  name: string;

  @ApiProperty({ enum: DEVICE_PLATFORMS.names })
  @IsIn(DEVICE_PLATFORMS.names)
  platform: string;

  @ApiPropertyOptional({
    maxLength: 128,
    description: 'Registering the same fingerprint again answers the device already registered with it',
  })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  fingerprint?: string;
}

export class TransferFileRequest {
  @ApiProperty({ minLength: 1, maxLength: 255 })
  @IsString()
  @Length(1, 255)
  name: string;

  @ApiProperty({ description: 'Exact size in bytes; the bytes sent must match it', minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  size: number;

  @ApiPropertyOptional({ default: 'application/octet-stream', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  mimeType?: string;
}

export class CreateTransferRequest {
  @ApiProperty({ description: 'The caller’s sending device' })
  @IsString()
  @Length(1, 64)
  fromDeviceId: string;

  @ApiProperty({ description: 'The caller’s receiving device' })
  @IsString()
  @Length(1, 64)
  toDeviceId: string;

  @ApiProperty({ type: [TransferFileRequest], minItems: 1, maxItems: 100 })
  @IsArray()
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Type(() => TransferFileRequest)
  files: TransferFileRequest[];

  @ApiProperty({ enum: TRANSFER_MODES.names })
  @IsIn(TRANSFER_MODES.names)
  mode: string;
}

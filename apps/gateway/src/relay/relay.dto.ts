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
  ValidateIf,
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

/** The mode whose files are named by id (store-and-forward). */
const STORED_MODE = 'stored';

export class CreateTransferRequest {
  @ApiProperty({ description: 'The caller’s sending device' })
  @IsString()
  @Length(1, 64)
  fromDeviceId: string;

  @ApiProperty({ description: 'The caller’s receiving device' })
  @IsString()
  @Length(1, 64)
  toDeviceId: string;

  @ApiPropertyOptional({
    type: [TransferFileRequest],
    minItems: 1,
    maxItems: 100,
    description: 'The files a `relay` or `p2p` transfer declares; required for those modes, absent for `stored`',
  })
  @ValidateIf((request: CreateTransferRequest) => request.mode !== STORED_MODE || request.files !== undefined)
  @IsArray()
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Type(() => TransferFileRequest)
  files?: TransferFileRequest[];

  @ApiProperty({ enum: TRANSFER_MODES.names })
  @IsIn(TRANSFER_MODES.names)
  mode: string;

  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: 100,
    description:
      'A `stored` transfer only (required there): ids of the caller’s own active files (GET /api/v1/files); ' +
      'their name, size and type are taken from them',
  })
  @ValidateIf((request: CreateTransferRequest) => request.mode === STORED_MODE || request.fileIds !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  fileIds?: string[];
}

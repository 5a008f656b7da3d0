import { filesV1, fromTimestamp } from '@lexy/contracts-grpc';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** A file as its owner sees it (api.md `file`). */
export class FileView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty() mimeType: string;
  @ApiProperty({ description: 'Hex SHA-256 of the stored bytes' }) sha256: string;
  @ApiProperty({ description: '6-character pickup code', example: '7K3M9Q' }) code: string;
  @ApiProperty({ enum: ['active', 'expired'] }) status: 'active' | 'expired';
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) purgeAt: string | null;
  @ApiProperty() downloads: number;
  @ApiProperty({ nullable: true, type: Number }) downloadLimit: number | null;
  @ApiProperty({ description: 'Whether a pickup must present the PIN (header X-Pickup-Pin)' }) pinProtected: boolean;
  @ApiProperty({
    description:
      'The PIN path closed after 30 wrong PINs over the file’s lifetime; POST /files/{id}/pin/reopen opens it again',
  })
  pinLocked: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'Share link `${PUBLIC_URL}/p/{code}?t={token}`: the code plus a 128-bit token, which skips the guessing limits and the per-code PIN locks. Owner only; null for files made before share links',
    example: 'http://localhost:8080/p/7K3M9Q?t=q1w2e3r4t5y6u7i8o9p0aa',
  })
  shareUrl: string | null;
}

export class FileResponse {
  @ApiProperty({ type: FileView }) file: FileView;
}

export class FileListResponse {
  @ApiProperty({ type: [FileView] }) items: FileView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** What anyone holding a pickup code may see: no owner data. */
export class PickupFileView {
  @ApiProperty() name: string;
  @ApiProperty() size: number;
  @ApiProperty() mimeType: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt: string | null;
}

export class PickupResponse {
  @ApiProperty({ type: PickupFileView }) file: PickupFileView;
}

export class DownloadPassResponse {
  @ApiProperty({ description: 'Send as ?pass= on GET /files/pickup/:code/download; single use' }) pass: string;
  @ApiProperty({ description: 'Seconds the pass stays valid', example: 60 }) expiresIn: number;
}

export class ListFilesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

const isoOrNull = (timestamp: filesV1.File['expiresAt']) => fromTimestamp(timestamp)?.toISOString() ?? null;

/** `${publicUrl}/p/<code>?t=<token>`; the web client serves /p/:code (same path style as the pickup API). */
export function shareUrlOf(file: filesV1.File, publicUrl: string): string | null {
  if (!file.linkToken || !file.code) return null;
  return `${publicUrl}/p/${encodeURIComponent(file.code)}?t=${encodeURIComponent(file.linkToken)}`;
}

/** The owner's view; `publicUrl` (the gateway's PUBLIC_URL) makes the share link, without it shareUrl is null. */
export function toFileView(file: filesV1.File, publicUrl?: string): FileView {
  return {
    id: file.id,
    name: file.name,
    size: file.sizeBytes,
    mimeType: file.mimeType,
    sha256: file.sha256,
    code: file.code,
    status: file.status === filesV1.FileStatus.FILE_STATUS_EXPIRED ? 'expired' : 'active',
    createdAt: isoOrNull(file.createdAt) ?? new Date(0).toISOString(),
    expiresAt: isoOrNull(file.expiresAt),
    purgeAt: isoOrNull(file.purgeAt),
    downloads: file.downloads,
    downloadLimit: file.downloadLimit ?? null,
    pinProtected: file.pinProtected,
    pinLocked: file.pinLocked,
    shareUrl: publicUrl === undefined ? null : shareUrlOf(file, publicUrl),
  };
}

export function toPickupView(file: filesV1.PickupFile): PickupFileView {
  return {
    name: file.name,
    size: file.sizeBytes,
    mimeType: file.mimeType,
    expiresAt: isoOrNull(file.expiresAt),
  };
}

import { DomainError, ErrorCode } from '@lexy/server-errors';
import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { FILES_CLIENT, type FilesClient } from '../grpc/grpc-clients.js';
import { discardRequestBody } from '../http/discard-request-body.js';
import { CallerGuard } from '../identity/caller.guard.js';
import { RequireToken } from '../identity/caller.js';
import { DownloadService } from './download.service.js';
import {
  FileListResponse,
  FileResponse,
  ListFilesQuery,
  PickupResponse,
  toFileView,
  toPickupView,
} from './file.views.js';
import { readMultipartFile, type MultipartFile } from './multipart-upload.js';
import { UploadService } from './upload.service.js';

function optionalInteger(value: string | undefined, field: string, maxDigits = 9): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length > maxDigits || !/^\d+$/.test(value)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field} must be a whole number`, { field });
  }
  return Number(value);
}

const UPLOAD_FIELDS = ['downloadLimit'];

/** A field sent after the file part could not shape the upload: refuse rather than ignore it. */
async function refuseLateFields(part: MultipartFile): Promise<void> {
  const all = await part.formComplete;
  const late = UPLOAD_FIELDS.filter((field) => all[field] !== undefined && part.fields[field] !== all[field]);
  if (late.length > 0) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `Send these fields before the file part: ${late.join(', ')}`, {
      fields: late,
    });
  }
}

function contentLength(request: Request): number | undefined {
  // Up to 15 digits: any real body size, still exact as a JavaScript number.
  return optionalInteger(request.headers['content-length'], 'Content-Length', 15);
}

@ApiTags('files')
@Controller('files')
@UseGuards(CallerGuard)
export class FilesController {
  constructor(
    @Inject(FILES_CLIENT) private readonly files: FilesClient,
    private readonly uploads: UploadService,
    private readonly downloads: DownloadService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Upload one file (multipart/form-data, part "file"; fields before it: downloadLimit)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { downloadLimit: { type: 'integer', minimum: 1 }, file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ type: FileResponse })
  async uploadMultipart(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FileResponse> {
    try {
      const file = await readMultipartFile(request, (part) =>
        this.uploads.store({
          name: part.name,
          mimeType: part.mimeType,
          sizeUpperBoundBytes: contentLength(request),
          downloadLimit: optionalInteger(part.fields['downloadLimit'], 'downloadLimit'),
          body: part.body,
          beforeCommit: () => refuseLateFields(part),
        }),
      );
      return { file: toFileView(file) };
    } catch (error) {
      discardRequestBody(request, response);
      throw error;
    }
  }

  @Put(':filename')
  @ApiOperation({ summary: 'Upload the raw request body as one file (curl -T)' })
  @ApiConsumes('application/octet-stream')
  @ApiCreatedResponse({ type: FileResponse })
  async uploadRaw(
    @Param('filename') filename: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FileResponse> {
    try {
      const file = await this.uploads.store({
        name: filename,
        mimeType: request.headers['content-type'] ?? 'application/octet-stream',
        declaredSizeBytes: contentLength(request),
        body: request,
      });
      response.status(201);
      return { file: toFileView(file) };
    } catch (error) {
      discardRequestBody(request, response);
      throw error;
    }
  }

  @Get('pickup/:code')
  @ApiOperation({ summary: 'What a pickup code points to (no owner data)' })
  @ApiOkResponse({ type: PickupResponse })
  async pickup(@Param('code') code: string, @Res({ passthrough: true }) response: Response): Promise<PickupResponse> {
    response.setHeader('Cache-Control', 'no-store');
    const resolved = await this.files.resolvePickupCode({ code });
    if (!resolved.file) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    return { file: toPickupView(resolved.file) };
  }

  @Get('pickup/:code/download')
  @ApiOperation({ summary: 'Download the file a pickup code points to (Range supported)' })
  @ApiProduces('application/octet-stream')
  async pickupDownload(@Param('code') code: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    const { fileId, file, object } = await this.files.resolvePickupCode({ code });
    if (!file || !object) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    await this.downloads.send(request, response, { ...file, ...object }, async () => {
      await this.files.recordDownload({ fileId });
    });
  }

  @Get()
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's files, newest first" })
  @ApiOkResponse({ type: FileListResponse })
  async list(@Query() query: ListFilesQuery): Promise<FileListResponse> {
    const page = await this.files.listFiles({ page: { limit: query.limit ?? 50, cursor: query.cursor ?? '' } });
    return { items: page.items.map(toFileView), nextCursor: page.nextCursor || null };
  }

  @Get(':id')
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One of the caller’s files' })
  @ApiOkResponse({ type: FileResponse })
  async get(@Param('id') id: string): Promise<FileResponse> {
    const { file } = await this.files.getFile({ fileId: id });
    if (!file) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    return { file: toFileView(file) };
  }

  @Get(':id/download')
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Download one of the caller’s files (Range supported)' })
  @ApiProduces('application/octet-stream')
  async download(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { file, object } = await this.files.getFile({ fileId: id });
    if (!file || !object) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    await this.downloads.send(request, response, { ...file, ...object });
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete one of the caller’s files' })
  @ApiNoContentResponse()
  async remove(@Param('id') id: string): Promise<void> {
    await this.files.deleteFile({ fileId: id });
  }
}

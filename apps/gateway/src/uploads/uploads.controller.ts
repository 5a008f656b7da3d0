import { DomainError, ErrorCode } from '@lexy/server-errors';
import {
  Controller,
  Delete,
  Get,
  Head,
  Inject,
  Options,
  Param,
  Patch,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { FileResponse, toFileView } from '../files/file.views.js';
import { discardRequestBody } from '../http/discard-request-body.js';
import { CallerGuard } from '../identity/caller.guard.js';
import type { RequestWithCaller } from '../identity/caller.js';
import { CHECKSUM_ALGORITHMS, parseUploadChecksum, type ExpectedChecksum } from './chunk-checksum.js';
import { TusUploadService } from './tus-upload.service.js';

const TUS_VERSION = '1.0.0';
const PATCH_CONTENT_TYPE = 'application/offset+octet-stream';

/**
 * tus 1.0 resumable uploads at /api/v1/uploads (creation, creation-with-upload, termination,
 * checksum, expiration). The checks tus leaves to the server — the protocol version, the
 * PATCH media type, whose upload it is, the chunk checksum — happen here, so @tus/server
 * only ever sees a request it may serve.
 */
@ApiTags('uploads')
@Controller()
@UseGuards(CallerGuard)
export class UploadsController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly tus: TusUploadService,
  ) {}

  @Options('uploads')
  @ApiOperation({ summary: 'tus discovery: version, extensions, Tus-Max-Size for this caller, checksum algorithms' })
  @ApiNoContentResponse()
  async discover(@Req() request: Request, @Res() response: Response): Promise<void> {
    response.setHeader('Tus-Checksum-Algorithm', CHECKSUM_ALGORITHMS.join(','));
    await this.tus.handle(request, response, undefined);
  }

  @Post('uploads')
  @ApiOperation({
    summary: 'Create a resumable upload (tus creation; a body makes it creation-with-upload)',
    description:
      'Upload-Length is required; Upload-Metadata may carry filename, filetype, pin and downloadLimit (base64 values). ' +
      'Refused with 413 FILE_TOO_LARGE or STORAGE_QUOTA_EXCEEDED before any byte is read.',
  })
  @ApiHeader({ name: 'Tus-Resumable', required: true, example: TUS_VERSION })
  @ApiHeader({ name: 'Upload-Length', required: true })
  @ApiHeader({ name: 'Upload-Metadata', required: false })
  @ApiResponse({ status: 201, description: 'Created; Location is the upload URL, Upload-Expires its expiry' })
  async create(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.serve(request, response, () => undefined);
  }

  @Head('uploads/:id')
  @ApiOperation({ summary: 'Offset of an upload (tus HEAD), to resume it' })
  @ApiResponse({ status: 200, description: 'Upload-Offset and Upload-Length; Cache-Control: no-store' })
  async offset(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    await this.serve(request, response, () => this.requireOwnUpload(request, response, id));
  }

  @Patch('uploads/:id')
  @ApiOperation({
    summary: 'Append bytes at Upload-Offset (tus PATCH)',
    description:
      'Content-Type application/offset+octet-stream. Optional Upload-Checksum "<sha1|sha256|md5> <base64>" (460 CHECKSUM_MISMATCH ' +
      'discards the chunk). The PATCH that completes the upload answers with X-Pickup-Code and X-File-Id.',
  })
  @ApiNoContentResponse({ description: 'Stored; Upload-Offset is the new offset' })
  async append(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.serve(request, response, async () => {
      await this.requireOwnUpload(request, response, id);
      if ((request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() !== PATCH_CONTENT_TYPE) {
        throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `A PATCH body must be ${PATCH_CONTENT_TYPE}`);
      }
      return parseUploadChecksum(headerValue(request, 'upload-checksum'));
    });
  }

  @Delete('uploads/:id')
  @ApiOperation({ summary: 'Give up an unfinished upload (tus termination): its bytes and reservation are released' })
  @ApiNoContentResponse()
  async terminate(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.serve(request, response, () => this.requireOwnUpload(request, response, id));
  }

  @Get('files/by-upload/:uploadId')
  @ApiOperation({ summary: 'The file a finished tus upload became (same caller as the upload)' })
  @ApiOkResponse({ type: FileResponse })
  async fileOfUpload(@Param('uploadId') uploadId: string, @Req() request: RequestWithCaller): Promise<FileResponse> {
    const state = await this.tus.stateFor(callerOf(request), uploadId);
    if (!state) throw new DomainError(ErrorCode.NOT_FOUND, 'Upload not found');
    return { file: toFileView(await this.tus.fileOf(state), this.config.PUBLIC_URL) };
  }

  /**
   * Runs the route's own checks, then hands the request to tus. A refusal before tus read
   * the body drains what the client still sends, so it receives the answer.
   */
  private async serve(
    request: Request,
    response: Response,
    check: () => Promise<ExpectedChecksum | undefined | void> | undefined,
  ): Promise<void> {
    let checksum: ExpectedChecksum | undefined;
    try {
      this.requireTusVersion(request, response);
      checksum = (await check()) ?? undefined;
    } catch (error) {
      discardRequestBody(request, response);
      throw error;
    }
    // A connection that stops sending is dropped, which ends its PATCH and frees the upload's lock.
    request.setTimeout(this.config.TUS_IDLE_TIMEOUT_SECONDS * 1000, () => request.destroy());
    await this.tus.handle(request, response, checksum);
  }

  private requireTusVersion(request: Request, response: Response): void {
    if (headerValue(request, 'tus-resumable') !== TUS_VERSION) {
      response.setHeader('Tus-Version', TUS_VERSION);
      throw new DomainError(ErrorCode.TUS_VERSION_UNSUPPORTED, `This server speaks tus ${TUS_VERSION} only`, {
        supported: [TUS_VERSION],
      });
    }
  }

  /** Another caller's upload, a malformed id and a missing one all answer the same 404. */
  private async requireOwnUpload(request: Request, response: Response, id: string): Promise<void> {
    const state = await this.tus.stateFor(callerOf(request as RequestWithCaller), id);
    if (!state) {
      response.setHeader('Cache-Control', 'no-store');
      throw new DomainError(ErrorCode.NOT_FOUND, 'Upload not found');
    }
  }
}

function callerOf(request: RequestWithCaller) {
  if (!request.caller) throw new Error('CallerGuard did not run');
  return request.caller;
}

function headerValue(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

import { fromTimestamp, type filesV1 } from '@lexy/contracts-grpc';
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
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { FILES_CLIENT, type FilesClient } from '../grpc/grpc-clients.js';
import { discardRequestBody } from '../http/discard-request-body.js';
import { CallerGuard, actAs } from '../identity/caller.guard.js';
import { RequireToken, type RequestWithCaller } from '../identity/caller.js';
import { ClientAddresses } from '../identity/client-addresses.js';
import { LOOKUP_REFUSAL, PickupLimits } from '../pickup-guard/pickup-limits.decorator.js';
import { DownloadPasses, type PassedPickup } from './download-passes.js';
import { DownloadResponses } from './download-responses.decorator.js';
import { DownloadService } from './download.service.js';
import { PickupViewCache } from './pickup-view-cache.js';
import {
  FileListResponse,
  FileResponse,
  type FileView,
  ListFilesQuery,
  DownloadPassResponse,
  PickupResponse,
  shareUrlOf,
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

const UPLOAD_FIELDS = ['downloadLimit', 'pin'];

/** The PIN travels in a header, never in the URL (URLs end up in logs and browser history). */
export const PIN_HEADER = 'x-pickup-pin';
/** Handed out by a claimed pickup download; `?ticket=` with a Range request resumes it. */
export const DOWNLOAD_TICKET_HEADER = 'X-Download-Ticket';

const PIN_HEADER_DOC = {
  name: 'X-Pickup-Pin',
  required: false,
  description: 'The PIN of a PIN-protected file. Without it 401 PIN_REQUIRED, wrong 401 PIN_INVALID',
};

function headerValue(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** An empty `?t=` or `?ticket=` is the same as none; a repeated one is refused. */
function queryString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 128) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field} must be given once, as a short string`, { field });
  }
  return value;
}

/** What a pickup request presents: its code, the share link's token (`?t=`) and the PIN header. */
function pickupOf(code: string, request: Request, linkToken: unknown): PassedPickup {
  return { code, linkToken: queryString(linkToken, 't'), pin: headerValue(request, PIN_HEADER) || undefined };
}

// Read one by one rather than through a whitelisting DTO: other query parameters (such as
// a proof-of-work solution) belong to other layers of these routes.
const LINK_TOKEN_QUERY_DOC = {
  name: 't',
  required: false,
  description:
    'Share-link token (from shareUrl). The code resolves only when both belong to the same file; a wrong one answers the uniform 404',
};

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
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly uploads: UploadService,
    private readonly downloads: DownloadService,
    private readonly addresses: ClientAddresses,
    private readonly pickupViews: PickupViewCache,
    private readonly passes: DownloadPasses,
  ) {}

  private view(file: filesV1.File): FileView {
    return toFileView(file, this.config.PUBLIC_URL);
  }

  /** Resolves a pickup with what the request carries: link token, PIN, source address, ticket. */
  private resolvePickup(code: string, request: Request, linkToken: unknown, downloadTicket?: string) {
    return this.resolvePassedPickup(pickupOf(code, request, linkToken), request, downloadTicket);
  }

  private resolvePassedPickup(pickup: PassedPickup, request: Request, downloadTicket?: string) {
    const { code, linkToken, pin } = pickup;
    return this.files.resolvePickupCode({
      code,
      linkToken,
      pin,
      // The address key, not a caller identity: the PIN caps count per (code, source).
      source: this.addresses.keyOf(request),
      downloadTicket,
    });
  }

  /**
   * The pickup a download pass stands for. An unusable pass gets the uniform 404 before any code
   * is looked up, so passes (which skip the guessing limits) cannot be used to probe codes.
   */
  private async redeemPass(pass: string, code: string, request: RequestWithCaller): Promise<PassedPickup> {
    const pickup = await this.passes.redeem(pass);
    if (!pickup || pickup.code !== code) {
      throw new DomainError(ErrorCode.PICKUP_CODE_NOT_FOUND, 'Pickup code not found');
    }
    // The download is the pass holder's, as CallerGuard would have named them from their token.
    if (pickup.caller) {
      request.caller = pickup.caller;
      actAs(pickup.caller, this.config.INTERNAL_CALLER_SECRET);
    }
    return pickup;
  }

  @Post()
  @ApiOperation({
    summary: 'Upload one file (multipart/form-data, part "file"; fields before it: downloadLimit, pin)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        downloadLimit: { type: 'integer', minimum: 1, maximum: 1000 },
        pin: {
          type: 'string',
          pattern: '^[0-9]{6,12}$',
          description: 'Pickup PIN, 6 to 12 digits; stored only as an argon2id hash',
        },
        file: { type: 'string', format: 'binary' },
      },
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
          pin: part.fields['pin'],
          body: part.body,
          beforeCommit: () => refuseLateFields(part),
        }),
      );
      return { file: this.view(file) };
    } catch (error) {
      discardRequestBody(request, response);
      throw error;
    }
  }

  @Put(':filename')
  @ApiOperation({ summary: 'Upload the raw request body as one file (curl -T)' })
  @ApiConsumes('application/octet-stream')
  @ApiHeader({ name: 'X-Pickup-Pin', required: false, description: 'Pickup PIN, 6 to 12 digits' })
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
        pin: headerValue(request, PIN_HEADER),
        body: request,
      });
      response.status(201);
      return { file: this.view(file) };
    } catch (error) {
      discardRequestBody(request, response);
      throw error;
    }
  }

  @Get('pickup/:code')
  @PickupLimits()
  @ApiOperation({
    summary: 'What a pickup code points to (no owner data); a PIN-protected file needs X-Pickup-Pin first',
  })
  @ApiHeader(PIN_HEADER_DOC)
  @ApiQuery(LINK_TOKEN_QUERY_DOC)
  @ApiOkResponse({ type: PickupResponse })
  async pickup(
    @Param('code') code: string,
    @Query('t') linkToken: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PickupResponse> {
    response.setHeader('Cache-Control', 'no-store');
    // A link token or a PIN must be checked by the files service; a bare code may be remembered.
    const bareCode = linkToken === undefined && !headerValue(request, PIN_HEADER);
    const remembered = bareCode ? this.pickupViews.get(code) : undefined;
    if (remembered) return { file: remembered };

    const began = this.pickupViews.begin();
    const resolved = await this.resolvePickup(code, request, linkToken);
    if (!resolved.file) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    const view = toPickupView(resolved.file);
    if (bareCode && resolved.openToCode) {
      const expiresAt = fromTimestamp(resolved.file.expiresAt);
      this.pickupViews.store(code, { fileId: resolved.fileId, view, expiresAtMs: expiresAt?.getTime() ?? null }, began);
    }
    return { file: view };
  }

  @Post('pickup/:code/download-pass')
  @HttpCode(201)
  @PickupLimits()
  @ApiOperation({
    summary:
      'A single-use pass (60 s) for ?pass= on the download: what a plain link cannot send (the PIN, a solved ' +
      'challenge) is checked here once, so a browser can stream the download straight to disk',
  })
  @ApiHeader(PIN_HEADER_DOC)
  @ApiQuery(LINK_TOKEN_QUERY_DOC)
  @ApiCreatedResponse({ type: DownloadPassResponse })
  async downloadPass(
    @Param('code') code: string,
    @Query('t') linkToken: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DownloadPassResponse> {
    response.setHeader('Cache-Control', 'no-store');
    const pickup = pickupOf(code, request, linkToken);
    await this.resolvePassedPickup(pickup, request);
    const issued = await this.passes.issue({ ...pickup, caller: (request as RequestWithCaller).caller });
    return { pass: issued.pass, expiresIn: issued.expiresInSeconds };
  }

  @Get('pickup/:code/download')
  @PickupLimits({ documents429: false })
  @DownloadResponses(LOOKUP_REFUSAL)
  @ApiOperation({
    summary:
      'Download the file a pickup code points to (Range supported). Every request counts one download ' +
      'before its first byte, except a Range request carrying ?ticket= from X-Download-Ticket',
  })
  @ApiHeader(PIN_HEADER_DOC)
  @ApiQuery(LINK_TOKEN_QUERY_DOC)
  @ApiQuery({
    name: 'pass',
    required: false,
    description:
      'A pass from POST …/download-pass, in place of X-Pickup-Pin, ?t= and X-Pickup-Challenge (single use; invalid → 404)',
  })
  @ApiQuery({
    name: 'ticket',
    required: false,
    description:
      'The X-Download-Ticket of a claimed download: a Range request carrying it resumes that download without counting another, also once the download limit is reached (valid 24 h; invalid → 404)',
  })
  @ApiOkResponse({
    description: 'The bytes (206 for a Range)',
    headers: {
      'X-Download-Ticket': {
        description: 'Sent when this request counted a download: resume it with ?ticket= and a Range header',
        schema: { type: 'string' },
      },
    },
  })
  @ApiProduces('application/octet-stream')
  async pickupDownload(
    @Param('code') code: string,
    @Query('t') linkToken: unknown,
    @Query('ticket') ticketQuery: unknown,
    @Query('pass') passQuery: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    // A ticket only resumes: a request for the whole file is a new download and claims one.
    const ticket = request.headers.range === undefined ? undefined : queryString(ticketQuery, 'ticket');
    const pass = queryString(passQuery, 'pass');
    const { fileId, file, object, resumes } = pass
      ? await this.resolvePassedPickup(await this.redeemPass(pass, code, request as RequestWithCaller), request, ticket)
      : await this.resolvePickup(code, request, linkToken, ticket);
    if (!file || !object) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    // HEAD sends no body, so it claims nothing.
    const claim =
      resumes || request.method === 'HEAD'
        ? undefined
        : async () => {
            const claimed = await this.files.claimDownload({ fileId });
            response.setHeader(DOWNLOAD_TICKET_HEADER, claimed.downloadTicket);
          };
    await this.downloads.send(request, response, { fileId, ...file, ...object }, claim);
  }

  @Get()
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's files, newest first" })
  @ApiOkResponse({ type: FileListResponse })
  async list(@Query() query: ListFilesQuery): Promise<FileListResponse> {
    const page = await this.files.listFiles({ page: { limit: query.limit ?? 50, cursor: query.cursor ?? '' } });
    return { items: page.items.map((file) => this.view(file)), nextCursor: page.nextCursor || null };
  }

  @Get(':id')
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One of the caller’s files' })
  @ApiOkResponse({ type: FileResponse })
  async get(@Param('id') id: string): Promise<FileResponse> {
    const { file } = await this.files.getFile({ fileId: id });
    if (!file) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    return { file: this.view(file) };
  }

  @Get(':id/qr.svg')
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The share link of one of the caller’s files as an SVG QR code' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'An SVG document encoding shareUrl', schema: { type: 'string' } })
  async qrCode(@Param('id') id: string, @Res() response: Response): Promise<void> {
    const { file } = await this.files.getFile({ fileId: id });
    const shareUrl = file && shareUrlOf(file, this.config.PUBLIC_URL);
    // A file made before share links has no link to encode.
    if (!shareUrl) throw new DomainError(ErrorCode.NOT_FOUND, 'This file has no share link');
    // Loaded on first use: the QR encoder is ~8 MB of RSS that most gateways never need.
    const { default: QRCode } = await import('qrcode');
    const svg = await QRCode.toString(shareUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    response
      .status(200)
      .setHeader('Content-Type', 'image/svg+xml')
      // It carries the link token: never kept by a cache.
      .setHeader('Cache-Control', 'no-store')
      .setHeader('X-Content-Type-Options', 'nosniff')
      .send(svg);
  }

  @Post(':id/pin/reopen')
  @HttpCode(200)
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Open the PIN path again after too many wrong PINs closed it (pinLocked)' })
  @ApiOkResponse({ type: FileResponse })
  async reopenPin(@Param('id') id: string): Promise<FileResponse> {
    const { file } = await this.files.reopenPin({ fileId: id });
    if (!file) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    return { file: this.view(file) };
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Make an expired file active again inside its 7-day redemption window',
    description:
      'The file gets a fresh retention period from the caller’s group and its pickup code works again. ' +
      'Outside the window 410 FILE_EXPIRED; 413 STORAGE_QUOTA_EXCEEDED when the caller’s stored files ' +
      'no longer fit its group’s storage; an active file is answered unchanged.',
  })
  @ApiOkResponse({ type: FileResponse })
  async restore(@Param('id') id: string): Promise<FileResponse> {
    const { file } = await this.files.restoreFile({ fileId: id });
    if (!file) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    // Announced by the files service; this replica need not wait for the message.
    this.pickupViews.invalidate(id);
    return { file: this.view(file) };
  }

  @Get(':id/download')
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Download one of the caller’s files (Range supported)' })
  @DownloadResponses()
  @ApiProduces('application/octet-stream')
  async download(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { file, object } = await this.files.getFile({ fileId: id });
    if (!file || !object) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    await this.downloads.send(request, response, { fileId: id, ...file, ...object });
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireToken()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete one of the caller’s files' })
  @ApiNoContentResponse()
  async remove(@Param('id') id: string): Promise<void> {
    await this.files.deleteFile({ fileId: id });
    // The files service announces it to every replica; this one need not wait for the message.
    this.pickupViews.invalidate(id);
  }
}

import { Body, Controller, HttpCode, Logger, Post, Query, Req, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { ApiError } from '../../common/api-error';
import { envelope } from '../../common/envelope';
import { ErrorCode } from '../../common/error-codes';
import { FEED_DOCUMENT_BOUNDS, RouteBoundsOptions } from '../../common/request-bounds';
import { FeedUnreadableError, ImportStoppedError, RecallImporter } from '../import/recall-importer';
import { FEED_SOURCES, FeedSource } from '../import/mappers/feed-mapper';
import { AdminJwtGuard } from './admin-jwt.guard';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/recalls')
@UseGuards(AdminJwtGuard)
export class AdminImportController {
  private readonly logger = new Logger('AdminImport');

  constructor(private readonly importer: RecallImporter) {}

  @Post('import')
  @HttpCode(200)
  // The feed's own text, as the import command reads it from a file: each record parsed (or rejected) on its own.
  @RouteConfig({ bodyBounds: FEED_DOCUMENT_BOUNDS, jsonBodyAsText: true } satisfies RouteBoundsOptions)
  @ApiOperation({ summary: 'Import a feed document (JSON of any supported feed, or EU Safety Gate XML)' })
  @ApiQuery({ name: 'source', required: false, enum: FEED_SOURCES })
  async import(@Body() body: unknown, @Query('source') source: string | undefined, @Req() request: FastifyRequest) {
    if (source !== undefined && !(FEED_SOURCES as readonly string[]).includes(source)) {
      throw new ApiError(ErrorCode.INVALID_PARAMETERS, `source must be one of ${FEED_SOURCES.join(', ')}`);
    }
    if (body === undefined || body === null || body === '') throw new ApiError(ErrorCode.BAD_REQUEST, 'The body must be a feed document');
    const document = typeof body === 'string' ? body : JSON.stringify(body);
    // EU Safety Gate is the one XML feed: an XML body is read as one, and told where it is not well-formed.
    const sentAsXml = /[/+]xml\b/i.test(request.headers['content-type'] ?? '');
    try {
      return envelope(request, await this.importer.importDocument(document, (source as FeedSource | undefined) ?? (sentAsXml ? 'eu-safety-gate' : undefined)));
    } catch (error) {
      if (error instanceof FeedUnreadableError) throw new ApiError(ErrorCode.BAD_REQUEST, error.message);
      if (error instanceof ImportStoppedError) {
        this.logger.warn(`Import stopped [${request.id}]: ${error.message}`);
        const { inserted, updated, unchanged, rejected, read } = error.committed;
        throw new ApiError(
          ErrorCode.SERVICE_UNAVAILABLE,
          `The database failed during the import; committed before the failure: inserted ${inserted}, updated ${updated}, ` +
            `unchanged ${unchanged}, rejected ${rejected.length} of ${read} read. Send the document again to complete it.`,
        );
      }
      throw error;
    }
  }
}

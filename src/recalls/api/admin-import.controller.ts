import { Body, Controller, HttpCode, Post, Query, Req, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { ApiError } from '../../common/api-error';
import { envelope } from '../../common/envelope';
import { ErrorCode } from '../../common/error-codes';
import { FEED_DOCUMENT_BOUNDS, RouteBoundsOptions } from '../../common/request-bounds';
import { FeedUnreadableError, RecallImporter } from '../import/recall-importer';
import { FEED_SOURCES, FeedSource } from '../import/mappers/feed-mapper';
import { AdminJwtGuard } from './admin-jwt.guard';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/recalls')
@UseGuards(AdminJwtGuard)
export class AdminImportController {
  constructor(private readonly importer: RecallImporter) {}

  @Post('import')
  @HttpCode(200)
  @RouteConfig({ bodyBounds: FEED_DOCUMENT_BOUNDS } satisfies RouteBoundsOptions)
  @ApiOperation({ summary: 'Import a feed document (JSON of any supported feed, or EU Safety Gate XML)' })
  @ApiQuery({ name: 'source', required: false, enum: FEED_SOURCES })
  async import(@Body() body: unknown, @Query('source') source: string | undefined, @Req() request: FastifyRequest) {
    if (source !== undefined && !(FEED_SOURCES as readonly string[]).includes(source)) {
      throw new ApiError(ErrorCode.INVALID_PARAMETERS, `source must be one of ${FEED_SOURCES.join(', ')}`);
    }
    if (body === undefined || body === null || body === '') throw new ApiError(ErrorCode.BAD_REQUEST, 'The body must be a feed document');
    const document = typeof body === 'string' ? body : JSON.stringify(body);
    try {
      return envelope(request, await this.importer.importDocument(document, source as FeedSource | undefined));
    } catch (error) {
      if (error instanceof FeedUnreadableError) throw new ApiError(ErrorCode.BAD_REQUEST, error.message);
      throw error;
    }
  }
}

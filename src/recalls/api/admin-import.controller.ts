import { Body, Controller, Headers, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiError } from '../../common/api-error';
import { ErrorCode } from '../../common/error-codes';
import { FEED_DOCUMENT_BOUNDS, RouteBoundsOptions } from '../../common/request-bounds';
import { RecallImporter } from '../import/recall-importer';
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
  // The feed's own text, as the import command reads it from a file: each record parsed (or rejected) on its own.
  @RouteConfig({ bodyBounds: FEED_DOCUMENT_BOUNDS, jsonBodyAsText: true } satisfies RouteBoundsOptions)
  @ApiOperation({ summary: 'Import a feed document (JSON of any supported feed, or EU Safety Gate XML)' })
  @ApiQuery({ name: 'source', required: false, enum: FEED_SOURCES })
  async import(@Body() body: unknown, @Query('source') source: string | undefined, @Headers('content-type') contentType: string | undefined) {
    if (source !== undefined && !(FEED_SOURCES as readonly string[]).includes(source)) {
      throw new ApiError(ErrorCode.INVALID_PARAMETERS, `source must be one of ${FEED_SOURCES.join(', ')}`);
    }
    if (body === undefined || body === null || body === '') throw new ApiError(ErrorCode.BAD_REQUEST, 'The body must be a feed document');
    const document = typeof body === 'string' ? body : JSON.stringify(body);
    // EU Safety Gate is the one XML feed: an XML body is read as one, and told where it is not well-formed.
    const sentAsXml = /[/+]xml\b/i.test(contentType ?? '');
    // A feed that cannot be read (400) or an import the database stopped (503, with the counts committed) is a
    // DomainError of the importer's, answered by ErrorEnvelopeFilter.
    return this.importer.importDocument(document, (source as FeedSource | undefined) ?? (sentAsXml ? 'eu-safety-gate' : undefined));
  }
}

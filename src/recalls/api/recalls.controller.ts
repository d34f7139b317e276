import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiError } from '../../common/api-error';
import { ErrorCode } from '../../common/error-codes';
import { ListEnvelope } from '../../common/success-envelope.interceptor';
import { createValidationPipe } from '../../common/validation.pipe';
import { AGENCIES, AgencyCode } from '../domain/agencies';
import { resolveAgencyCode } from '../domain/agency-aliases';
import { RecallNotFoundError } from '../domain/recall-errors';
import { RiskCategory, Severity } from '../domain/recall-record';
import { RecallCriteria, RecallSearch } from '../search/recall-search';
import {
  AdvancedSearchDto,
  AgencyQuickSearchQueryDto,
  ListRecallsQueryDto,
  RECALL_ID_PATTERN,
  SafetyCheckDto,
} from './recall.dto';
import { SafetyCheckService } from './safety-check.service';

const strictBody = createValidationPipe({ rejectUnknown: true });
const lenientQuery = createValidationPipe({ rejectUnknown: false });

/** The BabyShield v1 read API (see the API contract). Handlers return data; SuccessEnvelopeInterceptor wraps it. */
@ApiTags('recalls')
@Controller('api/v1')
export class RecallsController {
  constructor(
    private readonly recalls: RecallSearch,
    private readonly safetyChecks: SafetyCheckService,
  ) {}

  @Post('search/advanced')
  @HttpCode(200)
  @ApiOperation({ summary: 'Typo-tolerant recall search with filters and signed cursors' })
  @ListEnvelope()
  async advancedSearch(@Body(strictBody) body: AdvancedSearchDto) {
    const limit = body.limit ?? 20;
    if (body.id) {
      const recall = await this.recalls.findByRecallId(body.id);
      const items = recall ? [recall] : [];
      return { items, total: items.length, totalIsEstimate: false, limit, offset: 0, nextCursor: null, hasMore: false };
    }
    const text = (body.product ?? body.query)?.trim();
    if (text !== undefined && text.length < 2) {
      throw new ApiError(ErrorCode.INVALID_PARAMETERS, `${body.product !== undefined ? 'product' : 'query'} must be at least 2 characters`);
    }
    const agencies = [...(body.agencies ?? []), ...(body.agency ? [body.agency] : [])].map(agencyCodeOf);
    const criteria: RecallCriteria = {
      text: text || undefined,
      keywords: body.keywords?.map((keyword) => keyword.trim()).filter((keyword) => keyword.length > 0),
      agencies: agencies.length ? [...new Set(agencies)] : undefined,
      // IsOptional lets null through: a null filter is no filter.
      severity: (body.severity ?? body.risk_level ?? undefined) as Severity | undefined,
      riskCategory: (body.riskCategory ?? body.product_category ?? undefined) as RiskCategory | undefined,
      dateFrom: body.date_from ?? undefined,
      dateTo: body.date_to ?? undefined,
    };
    assertDateRange(criteria);
    const hasCriterion = Object.values(criteria).some((value) => (Array.isArray(value) ? value.length > 0 : value !== undefined));
    if (!hasCriterion) {
      throw new ApiError(ErrorCode.BAD_REQUEST, 'Give product or query text, keywords, an id, or at least one filter');
    }
    return this.recalls.search(withoutUndefined(criteria), { limit, offset: body.offset ?? undefined, cursor: body.nextCursor });
  }

  @Get('recall/*')
  @ApiOperation({ summary: 'One recall by id (URL-encode "/" in EU ids)' })
  @ApiParam({ name: '*', description: 'Recall id, e.g. CPSC-19105 or EU-SR%2F01326%2F26' })
  async recallById(@Param('*') id: string) {
    if (!RECALL_ID_PATTERN.test(id)) {
      throw new ApiError(ErrorCode.INVALID_PARAMETERS, 'id must be a recall id such as CPSC-19105 (letters, digits, - _ . /)');
    }
    const recall = await this.recalls.findByRecallId(id);
    if (!recall) throw new RecallNotFoundError(id);
    return recall;
  }

  @Get('recalls')
  @ApiOperation({ summary: 'List recalls, optionally matching text, newest first' })
  @ListEnvelope()
  async listRecalls(@Query(lenientQuery) query: ListRecallsQueryDto) {
    const text = query.q?.trim();
    if (text !== undefined && text !== '' && text.length < 2) throw new ApiError(ErrorCode.INVALID_PARAMETERS, 'q must be at least 2 characters');
    const agencies = query.agency ? query.agency.split(',').filter((part) => part.trim()).map(agencyCodeOf) : undefined;
    const criteria: RecallCriteria = {
      text: text || undefined,
      agencies,
      country: query.country,
      dateFrom: query.date_from,
      dateTo: query.date_to,
      sort: query.sort ?? (text ? 'relevance' : 'recent'),
    };
    assertDateRange(criteria);
    return this.recalls.search(withoutUndefined(criteria), { limit: query.limit ?? 20, cursor: query.cursor });
  }

  @Get('agencies')
  @ApiOperation({ summary: 'The agencies whose recalls are served' })
  agencies() {
    return {
      agencies: AGENCIES.map((agency) => agency.code),
      details: AGENCIES.map(({ code, name, country, website }) => ({ code, name, country, website })),
    };
  }

  @Get('fda')
  @ApiOperation({ summary: 'Quick search of FDA recalls' })
  @ListEnvelope()
  fda(@Query(lenientQuery) query: AgencyQuickSearchQueryDto) {
    return this.agencySearch('FDA', query);
  }

  @Get('cpsc')
  @ApiOperation({ summary: 'Quick search of CPSC recalls' })
  @ListEnvelope()
  cpsc(@Query(lenientQuery) query: AgencyQuickSearchQueryDto) {
    return this.agencySearch('CPSC', query);
  }

  @Post('safety-check')
  @HttpCode(200)
  @ApiOperation({ summary: 'Is this product recalled? By barcode, model number, lot number or name' })
  async safetyCheck(@Body(strictBody) body: SafetyCheckDto) {
    return this.safetyChecks.check(body);
  }

  private async agencySearch(agency: AgencyCode, query: AgencyQuickSearchQueryDto) {
    const text = query.product?.trim();
    if (text !== undefined && text !== '' && text.length < 2) throw new ApiError(ErrorCode.INVALID_PARAMETERS, 'product must be at least 2 characters');
    return this.recalls.search({ text: text || undefined, agencies: [agency] }, { limit: query.limit ?? 20 });
  }
}

function agencyCodeOf(input: string): AgencyCode {
  const code = resolveAgencyCode(input);
  if (!code) {
    throw new ApiError(ErrorCode.INVALID_PARAMETERS, `Unknown agency "${input}"; known: ${AGENCIES.map((agency) => agency.code).join(', ')}`);
  }
  return code;
}

function assertDateRange(criteria: RecallCriteria): void {
  for (const day of [criteria.dateFrom, criteria.dateTo]) {
    if (day && Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new ApiError(ErrorCode.INVALID_PARAMETERS, `${day} is not a calendar date`);
    if (day && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
      throw new ApiError(ErrorCode.INVALID_PARAMETERS, `${day} is not a calendar date`);
    }
  }
  if (criteria.dateFrom && criteria.dateTo && criteria.dateFrom > criteria.dateTo) {
    throw new ApiError(ErrorCode.INVALID_PARAMETERS, 'date_from must not be after date_to');
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { AGENCY_CODES } from '../domain/agencies';
import { RISK_CATEGORIES, SEVERITIES } from '../domain/recall-record';

// Years 0001..9999: PostgreSQL has no year 0000 ("date/time field value out of range"), and both databases take the rest.
const DAY = /^(?!0000)\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DAY_MESSAGE = '$property must be a date YYYY-MM-DD from 0001-01-01 to 9999-12-31';
export const RECALL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\/-]{0,119}$/;
const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** POST /api/v1/search/advanced */
export class AdvancedSearchDto {
  @ApiPropertyOptional({ description: 'Free text (at least 2 characters); wins over `query`', example: 'rock n play sleeper' })
  @IsOptional() @IsString() @MaxLength(200)
  product?: string;

  @ApiPropertyOptional({ description: 'Free text, used when `product` is absent' })
  @IsOptional() @IsString() @MaxLength(200)
  query?: string;

  @ApiPropertyOptional({ type: [String], description: 'Every keyword must match (AND)' })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(100, { each: true })
  keywords?: string[];

  @ApiPropertyOptional({ description: 'Exact recall id; other filters are ignored', example: 'CPSC-19105' })
  @IsOptional() @IsString() @Matches(RECALL_ID_PATTERN, { message: 'id must be a recall id such as CPSC-19105' })
  id?: string;

  @ApiPropertyOptional({ type: [String], description: `Agency codes: ${AGENCY_CODES.join(', ')}` })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true })
  agencies?: string[];

  @ApiPropertyOptional({ description: 'Alias for a one-element `agencies`' })
  @IsOptional() @IsString()
  agency?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional() @Transform(lowerCase) @IsIn(SEVERITIES)
  severity?: string;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'Alias for `severity`' })
  @IsOptional() @Transform(lowerCase) @IsIn(SEVERITIES)
  risk_level?: string;

  @ApiPropertyOptional({ enum: RISK_CATEGORIES })
  @IsOptional() @Transform(lowerCase) @IsIn(RISK_CATEGORIES)
  riskCategory?: string;

  @ApiPropertyOptional({ enum: RISK_CATEGORIES, description: 'Alias for `riskCategory`' })
  @IsOptional() @Transform(lowerCase) @IsIn(RISK_CATEGORIES)
  product_category?: string;

  @ApiPropertyOptional({ example: '2019-01-01' })
  @IsOptional() @IsString() @Matches(DAY, { message: DAY_MESSAGE })
  date_from?: string;

  @ApiPropertyOptional({ example: '2024-12-31' })
  @IsOptional() @IsString() @Matches(DAY, { message: DAY_MESSAGE })
  date_to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 20 })
  @IsOptional() @IsInt() @Min(1) @Max(50)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Kept for old clients; prefer nextCursor' })
  @IsOptional() @IsInt() @Min(0) @Max(10_000)
  offset?: number;

  @ApiPropertyOptional({ nullable: true, description: 'Opaque cursor from the previous page' })
  @IsOptional() @ValidateIf((_object, value) => value !== null) @IsString() @MaxLength(1000)
  nextCursor?: string | null;
}

/** GET /api/v1/recalls */
export class ListRecallsQueryDto {
  @ApiPropertyOptional({ description: 'Free text (typo tolerant)' })
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Agency code, or several separated by commas' })
  @IsOptional() @IsString() @MaxLength(200)
  agency?: string;

  @ApiPropertyOptional({ description: 'ISO country code, e.g. US, CA' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter country code' })
  country?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(DAY, { message: DAY_MESSAGE })
  date_from?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(DAY, { message: DAY_MESSAGE })
  date_to?: string;

  @ApiPropertyOptional({ enum: ['recent', 'oldest'] })
  @IsOptional() @IsIn(['recent', 'oldest'])
  sort?: 'recent' | 'oldest';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000)
  cursor?: string;
}

/** GET /api/v1/fda and /api/v1/cpsc */
export class AgencyQuickSearchQueryDto {
  @ApiPropertyOptional({ description: 'Product text (typo tolerant); without it, the newest recalls' })
  @IsOptional() @IsString() @MaxLength(200)
  product?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50)
  limit?: number;
}

/** POST /api/v1/safety-check */
export class SafetyCheckDto {
  @ApiPropertyOptional({ description: 'UPC-A, UPC-E, EAN-8, EAN-13 or GTIN-14 (checksum validated)', example: '079346627035' })
  @IsOptional() @IsString() @MaxLength(32)
  barcode?: string;

  @ApiPropertyOptional({ description: 'Compared ignoring case, spaces, hyphens, dots and slashes', example: '4M-005' })
  @IsOptional() @IsString() @MaxLength(64)
  model_number?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  lot_number?: string;

  @ApiPropertyOptional({ example: 'rock n play sleeper' })
  @IsOptional() @IsString() @MaxLength(200)
  product_name?: string;
}

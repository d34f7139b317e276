import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AgencyCode } from './agencies';
import type { RecallStatus, RiskCategory, Severity } from './recall-record';

/**
 * A recall as stored. The schema comes from migrations (which also create the trigram/FTS5 search indexes,
 * so the index decorators here are documentation with synchronize: false).
 */
@Entity({ name: 'recalls' })
export class RecallEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index('recalls_recall_id_key', { synchronize: false })
  @Column({ name: 'recall_id', type: 'varchar', length: 120, unique: true })
  recallId: string;

  @Column({ name: 'agency_code', type: 'varchar', length: 32 })
  agencyCode: AgencyCode;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'product_name', type: 'text', nullable: true })
  productName: string | null;

  @Column({ type: 'text', nullable: true })
  brand: string | null;

  @Column({ type: 'text', nullable: true })
  manufacturer: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', nullable: true })
  hazard: string | null;

  @Column({ name: 'hazard_category', type: 'varchar', length: 40, nullable: true })
  hazardCategory: string | null;

  @Column({ type: 'text', nullable: true })
  remedy: string | null;

  @Column({ name: 'recall_reason', type: 'text', nullable: true })
  recallReason: string | null;

  @Index('recalls_recall_date_idx', { synchronize: false })
  @Column({ name: 'recall_date', type: 'date' })
  recallDate: string;

  @Column({ name: 'last_updated', type: Date, nullable: true })
  lastUpdated: Date | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  country: string | null;

  @Column({ name: 'affected_countries', type: 'json', nullable: true })
  affectedCountries: string[] | null;

  @Column({ type: 'varchar', length: 16 })
  severity: Severity;

  @Column({ name: 'risk_category', type: 'varchar', length: 20 })
  riskCategory: RiskCategory;

  @Column({ type: 'varchar', length: 8, nullable: true })
  status: RecallStatus | null;

  @Column({ type: 'text', nullable: true })
  url: string | null;

  @Column({ name: 'image_url', type: 'text', nullable: true })
  imageUrl: string | null;

  @Column({ name: 'units_affected', type: 'text', nullable: true })
  unitsAffected: string | null;

  /** Normalised product name, brand, title and model numbers: the high-signal text for relevance. */
  @Column({ name: 'search_name', type: 'text' })
  searchName: string;

  /** search_name plus description and hazard; its words (PostgreSQL: recall_words) / FTS5 trigrams (SQLite) are indexed. */
  @Column({ name: 'search_text', type: 'text' })
  searchText: string;

  /** SHA-256 of the mapped record: an unchanged re-import is detected without comparing every field. */
  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash: string;

  @Column({ type: 'json' })
  source: object;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}

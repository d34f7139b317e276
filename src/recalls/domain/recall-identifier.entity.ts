import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { IdentifierKind } from './recall-record';

/** A barcode (as GTIN-14), model number or lot number of a recalled product; exact lookups hit its index. */
@Entity({ name: 'recall_identifiers' })
export class RecallIdentifierEntity {
  /** recalls.id; the foreign key (ON DELETE CASCADE) is declared by the migration. */
  @PrimaryColumn({ name: 'recall_pk', type: 'integer' })
  recallPk: number;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind: IdentifierKind;

  /** Indexed together with kind (recall_identifiers_lookup_idx, created by the migration). */
  @Index('recall_identifiers_lookup_idx', { synchronize: false })
  @PrimaryColumn({ type: 'varchar', length: 64 })
  normalized: string;

  /** As printed in the feed. */
  @Column({ type: 'text' })
  value: string;

  /** Order within the feed record. */
  @Column({ type: 'smallint' })
  position: number;

  /** The recall's date, copied so the lookup index yields a common identifier's newest recalls directly. */
  @Column({ name: 'recall_date', type: 'date' })
  recallDate: string;
}

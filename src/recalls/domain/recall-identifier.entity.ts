import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { IdentifierKind } from './recall-record';

/** A barcode (as GTIN-14), model number or lot number of a recalled product; exact lookups hit its index. */
@Entity({ name: 'recall_identifiers' })
export class RecallIdentifierEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** recalls.id; the foreign key (ON DELETE CASCADE) is declared by the migration. */
  @Column({ name: 'recall_pk', type: 'integer' })
  recallPk: number;

  @Column({ type: 'varchar', length: 16 })
  kind: IdentifierKind;

  @Column({ type: 'text' })
  value: string;

  /** Indexed together with kind (recall_identifiers_lookup_idx, created by the migration). */
  @Index('recall_identifiers_lookup_idx', { synchronize: false })
  @Column({ type: 'varchar', length: 64 })
  normalized: string;
}

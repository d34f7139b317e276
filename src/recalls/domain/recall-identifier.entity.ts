import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { IdentifierKind } from './recall-record';
import { RecallEntity } from './recall.entity';

/** A barcode (as GTIN-14), model number or lot number of a recalled product; exact lookups hit its index. */
@Entity({ name: 'recall_identifiers' })
export class RecallIdentifierEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'recall_pk', type: 'integer' })
  recallPk: number;

  @ManyToOne(() => RecallEntity, (recall) => recall.identifiers, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recall_pk' })
  recall?: RecallEntity;

  @Column({ type: 'varchar', length: 16 })
  kind: IdentifierKind;

  @Column({ type: 'text' })
  value: string;

  /** Indexed together with kind (recall_identifiers_lookup_idx, created by the migration). */
  @Index('recall_identifiers_lookup_idx', { synchronize: false })
  @Column({ type: 'varchar', length: 64 })
  normalized: string;
}
